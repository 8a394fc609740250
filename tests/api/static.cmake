# The web UI's static files over real HTTP: cache headers, the index.html fallback, path checks.
salesradar_add_test(api_static_routes_test
  SOURCES "${CMAKE_CURRENT_LIST_DIR}/static_routes_test.cc" "${PROJECT_SOURCE_DIR}/src/server/test_client.cc"
  DEPS salesradar_api Boost::headers Threads::Threads
  LABELS unit)
target_compile_definitions(api_static_routes_test PRIVATE BOOST_BEAST_USE_STD_STRING_VIEW BOOST_ASIO_NO_DEPRECATED)
