# The record routes (accounts, contacts, leads, opportunities, activities) over real HTTP through
# the shared harness: visibility for every role, paging, sorting, filters and writes.
include("${CMAKE_CURRENT_LIST_DIR}/harness.cmake")
if(NOT TARGET salesradar_api_test_env)
  return()
endif()

salesradar_add_test(api_record_test
  SOURCES "${CMAKE_CURRENT_LIST_DIR}/record_visibility_test.cc"
          "${CMAKE_CURRENT_LIST_DIR}/record_list_test.cc"
          "${CMAKE_CURRENT_LIST_DIR}/record_write_test.cc"
  DEPS salesradar_api_test_env salesradar_api
  LABELS api)
salesradar_add_pg_variant(api_record_test)
