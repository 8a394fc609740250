# Report routes: the pipeline and behaviour health, with row visibility.
include("${CMAKE_CURRENT_LIST_DIR}/harness.cmake")
if(NOT TARGET salesradar_api_test_env)
  return()
endif()

salesradar_add_test(api_reports_test
  SOURCES "${CMAKE_CURRENT_LIST_DIR}/report_routes_test.cc"
  DEPS salesradar_api_test_env salesradar_api fmt::fmt
  LABELS api)
salesradar_add_pg_variant(api_reports_test)
