# Helpers that give every module the same flags, include root and test wiring.

set(SALESRADAR_SOURCE_ROOT "${PROJECT_SOURCE_DIR}/src")

function(salesradar_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wconversion -Wno-sign-conversion)
  if(SALESRADAR_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
    # GCC 12 reports out-of-bounds copies inside libstdc++'s std::string that cannot happen,
    # for example for `std::string(n, 'x') + "y"`, depending on inlining. They stay warnings.
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
      target_compile_options(${target} PRIVATE -Wno-error=array-bounds -Wno-error=stringop-overflow
                                               -Wno-error=restrict)
    endif()
  endif()
endfunction()

# salesradar_add_library(NAME SOURCES a.cc b.cc DEPS other_target ...)
# Creates the static library `salesradar_NAME`, with src/ as the include root.
# Links an executable with tcmalloc when SALESRADAR_TCMALLOC is on (cmake/Dependencies.cmake).
function(salesradar_use_tcmalloc target)
  if(SALESRADAR_TCMALLOC)
    target_link_libraries(${target} PRIVATE PkgConfig::TCMALLOC)
  endif()
endfunction()

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

# Headers that most translation units include. Parsing them took about a third of the compile
# time of a typical file (GCC 12, -ftime-report), so they are precompiled once for libraries
# and tools and once, with GoogleTest's header, for tests, and every target reuses one of the
# two. GCC checks that a precompiled header fits the file being compiled and otherwise reads the
# headers as usual, so a target whose flags differ only compiles slower.
set(SALESRADAR_COMMON_HEADERS <algorithm> <chrono> <functional> <map> <memory> <optional> <string>
                              <string_view> <vector> <fmt/format.h> <nlohmann/json.hpp>)

function(salesradar_add_header_owner name)
  file(WRITE "${PROJECT_BINARY_DIR}/${name}.cc" "// Owner of a shared precompiled header; no code.\n")
  add_library(${name} OBJECT "${PROJECT_BINARY_DIR}/${name}.cc")
  target_link_libraries(${name} PRIVATE ${ARGN})
  target_compile_options(${name} PRIVATE -pthread)
  salesradar_set_warnings(${name})
endfunction()

# Makes every C++ library and executable in `dir` and below reuse one of the two precompiled
# headers.
function(salesradar_reuse_headers_below dir)
  get_property(subdirectories DIRECTORY "${dir}" PROPERTY SUBDIRECTORIES)
  foreach(subdirectory IN LISTS subdirectories)
    salesradar_reuse_headers_below("${subdirectory}")
  endforeach()

  get_property(targets DIRECTORY "${dir}" PROPERTY BUILDSYSTEM_TARGETS)
  foreach(target IN LISTS targets)
    get_target_property(type ${target} TYPE)
    if(NOT type MATCHES "^(STATIC_LIBRARY|EXECUTABLE)$")
      continue()
    endif()
    # The headers were precompiled with fmt's definitions (FMT_SHARED) and with -pthread
    # (_REENTRANT), which some libraries' pkg-config flags add, and GCC rejects them for a file
    # compiled without those, so every target gets both.
    target_link_libraries(${target} PRIVATE fmt::fmt nlohmann_json::nlohmann_json)
    target_compile_options(${target} PRIVATE -pthread)
    # A target that still differs compiles without them, slower, with a warning.
    target_compile_options(${target} PRIVATE -Wno-error=invalid-pch)
    get_target_property(libraries ${target} LINK_LIBRARIES)
    if(libraries AND "GTest::gtest" IN_LIST libraries)
      target_precompile_headers(${target} REUSE_FROM salesradar_test_headers)
    else()
      target_precompile_headers(${target} REUSE_FROM salesradar_common_headers)
    endif()
  endforeach()
endfunction()

# Precompiles the common headers for every target defined so far. Call it once, after the
# last target.
function(salesradar_precompile_headers)
  salesradar_add_header_owner(salesradar_common_headers fmt::fmt nlohmann_json::nlohmann_json)
  target_precompile_headers(salesradar_common_headers PRIVATE ${SALESRADAR_COMMON_HEADERS})

  salesradar_add_header_owner(salesradar_test_headers fmt::fmt nlohmann_json::nlohmann_json GTest::gtest)
  target_precompile_headers(salesradar_test_headers PRIVATE ${SALESRADAR_COMMON_HEADERS} <gtest/gtest.h>)

  salesradar_reuse_headers_below("${PROJECT_SOURCE_DIR}")
endfunction()
