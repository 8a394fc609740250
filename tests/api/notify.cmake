# The notification admin API over real HTTP: channels with write-only secrets, addresses, the
# failures page, and a test send to a local fake robot.
include("${CMAKE_CURRENT_LIST_DIR}/harness.cmake")
if(NOT TARGET salesradar_api_test_env OR NOT TARGET salesradar_notify_test_support)
  return()
endif()
salesradar_add_test(api_notify_test
  SOURCES "${CMAKE_CURRENT_LIST_DIR}/notify_routes_test.cc"
  DEPS salesradar_api_test_env salesradar_api salesradar_notify_test_support
  LABELS "api;notify")
