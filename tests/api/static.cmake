# The web UI's static files over real HTTP: cache headers, the index.html fallback, path checks.
# The test compiles static_routes.cc itself and links only the HTTP server, because the file
# needs nothing else from the API library.
salesradar_add_test(api_static_routes_test
  SOURCES
    "${CMAKE_CURRENT_LIST_DIR}/static_routes_test.cc"
    "${PROJECT_SOURCE_DIR}/src/api/static_routes.cc"
    "${PROJECT_SOURCE_DIR}/src/server/test_client.cc"
  DEPS salesradar_server Boost::headers Threads::Threads fmt::fmt
  LABELS unit)
target_compile_definitions(api_static_routes_test PRIVATE BOOST_BEAST_USE_STD_STRING_VIEW BOOST_ASIO_NO_DEPRECATED)
