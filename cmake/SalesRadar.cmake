# Helpers that give every module the same flags, include root and test wiring.

set(SALESRADAR_SOURCE_ROOT "${PROJECT_SOURCE_DIR}/src")

function(salesradar_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wconversion -Wno-sign-conversion)
  if(SALESRADAR_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# salesradar_add_library(NAME SOURCES a.cc b.cc DEPS other_target ...)
# Creates the static library `salesradar_NAME`, with src/ as the include root.
function(salesradar_add_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(salesradar_${name} STATIC ${ARG_SOURCES})
  target_include_directories(salesradar_${name} PUBLIC "${SALESRADAR_SOURCE_ROOT}")
  target_link_libraries(salesradar_${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  salesradar_set_warnings(salesradar_${name})
endfunction()

# salesradar_add_test(NAME SOURCES a_test.cc DEPS salesradar_x LABELS unit [WORKING_DIRECTORY dir])
# Builds a GoogleTest binary and registers it with CTest as one test named NAME.
function(salesradar_add_test name)
  cmake_parse_arguments(ARG "" "WORKING_DIRECTORY" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main GTest::gmock)
  target_compile_definitions(${name} PRIVATE
    SALESRADAR_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    SALESRADAR_BINARY_DIR="${PROJECT_BINARY_DIR}")
  salesradar_set_warnings(${name})
  if(NOT ARG_WORKING_DIRECTORY)
    set(ARG_WORKING_DIRECTORY "${PROJECT_BINARY_DIR}")
  endif()
  add_test(NAME ${name} COMMAND ${name} --gtest_brief=1 WORKING_DIRECTORY "${ARG_WORKING_DIRECTORY}")
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}")
endfunction()
