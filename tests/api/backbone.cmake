# The API backbone's integration tests: sign-in, tokens, people, the audit log, the OpenAPI
# description. Each binary starts its own App on 127.0.0.1 with port 0.
include("${CMAKE_CURRENT_LIST_DIR}/harness.cmake")
if(NOT TARGET salesradar_api_test_env)
  return()
endif()

foreach(api_backbone_test IN ITEMS auth people openapi audit)
  file(GLOB api_backbone_sources CONFIGURE_DEPENDS
       "${CMAKE_CURRENT_LIST_DIR}/${api_backbone_test}_*test.cc")
  if(api_backbone_sources)
    salesradar_add_test(api_${api_backbone_test}_test
      SOURCES ${api_backbone_sources}
      DEPS salesradar_api_test_env salesradar_api
      LABELS api)
    # The audit test tampers with the SQLite file itself, so it has no PostgreSQL run.
    if(NOT api_backbone_test STREQUAL "audit")
      salesradar_add_pg_variant(api_${api_backbone_test}_test)
    endif()
  endif()
endforeach()

# The audit test runs the built command-line tool against a database that it tampers with.
if(TARGET api_audit_test)
  target_link_libraries(api_audit_test PRIVATE SQLite::SQLite3)
  target_compile_definitions(api_audit_test PRIVATE
    SALESRADAR_BIN="${PROJECT_BINARY_DIR}/src/cli/salesradar")
  if(TARGET salesradar)
    add_dependencies(api_audit_test salesradar)
  endif()
endif()
