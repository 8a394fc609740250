# Import routes: CSV (UTF-8, GBK) and XLSX uploads, preview, background runs, summaries.
include("${CMAKE_CURRENT_LIST_DIR}/harness.cmake")
if(NOT TARGET salesradar_api_test_env)
  return()
endif()

salesradar_add_test(api_imports_test
  SOURCES "${CMAKE_CURRENT_LIST_DIR}/import_routes_test.cc"
  DEPS salesradar_api_test_env salesradar_api fmt::fmt
  LABELS api)
salesradar_add_pg_variant(api_imports_test)
