# The shared harness of the API integration tests (api_test_env.h), linked into every API test.
# Area files that sort before this one include it first; the guard keeps it to one definition.
include_guard(GLOBAL)
if(NOT EXISTS "${CMAKE_CURRENT_LIST_DIR}/api_test_env.cc")
  return()
endif()
add_library(salesradar_api_test_env STATIC
  "${CMAKE_CURRENT_LIST_DIR}/api_test_env.cc"
  "${CMAKE_CURRENT_LIST_DIR}/test_database.cc"
  "${CMAKE_CURRENT_LIST_DIR}/serve_process.cc"
  "${PROJECT_SOURCE_DIR}/src/server/test_client.cc")
target_include_directories(salesradar_api_test_env PUBLIC "${CMAKE_CURRENT_LIST_DIR}" "${PROJECT_SOURCE_DIR}/tests")
target_link_libraries(salesradar_api_test_env PUBLIC salesradar_api GTest::gtest Boost::headers Threads::Threads
                      PkgConfig::LIBPQ)
target_compile_definitions(salesradar_api_test_env PRIVATE BOOST_BEAST_USE_STD_STRING_VIEW BOOST_ASIO_NO_DEPRECATED)
salesradar_set_warnings(salesradar_api_test_env)

# salesradar_add_pg_variant(<test>): a second CTest entry, labelled pg, that runs the binary of
# <test> on a fresh PostgreSQL schema per test (test_database.h). It is reported as skipped
# when SALESRADAR_TEST_PG_URL names no server.
function(salesradar_add_pg_variant test)
  add_test(NAME ${test}_pg COMMAND ${test} --gtest_brief=1 WORKING_DIRECTORY "${PROJECT_BINARY_DIR}")
  set_tests_properties(${test}_pg PROPERTIES
    LABELS pg
    ENVIRONMENT SALESRADAR_API_TEST_BACKEND=postgres
    SKIP_REGULAR_EXPRESSION "PostgreSQL is not available")
endfunction()
