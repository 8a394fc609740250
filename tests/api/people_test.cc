// Users and org units over HTTP: who sees whom, and the admin's writes.
#include <set>

#include <gtest/gtest.h>

#include "api_test_env.h"

namespace salesradar::api::testing {
namespace {

using nlohmann::json;

class PeopleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = ApiTestEnv::Start();
    ASSERT_NE(env_, nullptr);
  }

  std::set<std::string> VisibleLogins(std::string_view viewer) {
    ApiClient client = env_->SignIn(viewer);
    ApiResponse response = client.Get("/api/v1/users");
    EXPECT_EQ(response.status, 200) << response.body;
    std::set<std::string> logins;
    for (const json& user : response.json["items"]) {
      logins.insert(user["login"].get<std::string>());
    }
    return logins;
  }

  std::string UserPath(std::string_view login) {
    return "/api/v1/users/" + std::to_string(env_->UserId(login));
  }

  std::unique_ptr<ApiTestEnv> env_;
};

TEST_F(PeopleTest, RepSeesOnlySelf) {
  EXPECT_EQ(VisibleLogins("rep_sh"), std::set<std::string>({"rep_sh"}));
}

TEST_F(PeopleTest, ManagerSeesOwnTeam) {
  EXPECT_EQ(VisibleLogins("mgr_sh"), std::set<std::string>({"mgr_sh", "rep_sh", "rep_sh2"}));
}

TEST_F(PeopleTest, DirectorSeesRegionSubtree) {
  EXPECT_EQ(VisibleLogins("dir_east"),
            std::set<std::string>({"dir_east", "cs_east", "mgr_sh", "rep_sh", "rep_sh2"}));
}

TEST_F(PeopleTest, AdminSeesEveryone) {
  EXPECT_EQ(VisibleLogins("admin").size(), 8u);
}

TEST_F(PeopleTest, OtherTeamsManagerGets404) {
  ApiClient manager = env_->SignIn("mgr_gz");
  ApiResponse hidden = manager.Get(UserPath("rep_sh"));
  EXPECT_EQ(hidden.status, 404) << hidden.body;
  EXPECT_EQ(manager.Get(UserPath("rep_gz")).status, 200);

  ApiClient rep = env_->SignIn("rep_sh");
  EXPECT_EQ(rep.Get(UserPath("rep_sh2")).status, 404);
  EXPECT_EQ(rep.Get(UserPath("rep_sh")).status, 200);
}

TEST_F(PeopleTest, OrgUnitVisibility) {
  ApiClient manager = env_->SignIn("mgr_sh");
  ApiResponse units = manager.Get("/api/v1/org-units");
  ASSERT_EQ(units.status, 200);
  ASSERT_EQ(units.json["items"].size(), 1u);
  EXPECT_EQ(units.json["items"][0]["name"], "上海一组");
  EXPECT_EQ(manager.Get("/api/v1/org-units/" + std::to_string(env_->OrgUnitId("gz"))).status, 404);

  ApiClient admin = env_->SignIn("admin");
  ApiResponse all = admin.Get("/api/v1/org-units");
  EXPECT_EQ(all.json["items"].size(), 5u);
  ApiResponse east = admin.Get("/api/v1/org-units/" + std::to_string(env_->OrgUnitId("east")));
  ASSERT_EQ(east.status, 200);
  EXPECT_EQ(east.json["type"], "region");
  EXPECT_EQ(east.json["parent_id"], env_->OrgUnitId("hq"));
}

TEST_F(PeopleTest, UserListFiltersAndPages) {
  ApiClient admin = env_->SignIn("admin");
  ApiResponse reps = admin.Get("/api/v1/users?role=rep");
  ASSERT_EQ(reps.status, 200);
  EXPECT_EQ(reps.json["items"].size(), 3u);

  ApiResponse team = admin.Get("/api/v1/users?org_unit_id=" + std::to_string(env_->OrgUnitId("sh")));
  EXPECT_EQ(team.json["items"].size(), 3u);

  ApiResponse page = admin.Get("/api/v1/users?limit=5");
  ASSERT_EQ(page.json["items"].size(), 5u);
  ApiResponse rest =
      admin.Get("/api/v1/users?limit=5&cursor=" + page.json["next_cursor"].get<std::string>());
  EXPECT_EQ(rest.json["items"].size(), 3u);
  EXPECT_TRUE(rest.json["next_cursor"].is_null());

  EXPECT_EQ(admin.Get("/api/v1/users?role=boss").status, 400);
}

TEST_F(PeopleTest, AdminCreatesUserWhoCanSignIn) {
  ApiClient admin = env_->SignIn("admin");
  ApiResponse created = admin.Post("/api/v1/users", json{{"login", "rep_sh3"},
                                                         {"display_name", "上海销售三"},
                                                         {"role", "rep"},
                                                         {"org_unit_id", env_->OrgUnitId("sh")},
                                                         {"manager_id", env_->UserId("mgr_sh")}});
  ASSERT_EQ(created.status, 201) << created.body;
  ASSERT_TRUE(created.json["initial_password"].is_string());
  EXPECT_EQ(created.json["login"], "rep_sh3");
  EXPECT_EQ(created.json["manager_id"], env_->UserId("mgr_sh"));

  ApiClient fresh = env_->Anonymous();
  ApiResponse signed_in = fresh.Post(
      "/api/v1/auth/sign-in",
      json{{"login", "rep_sh3"}, {"password", created.json["initial_password"]}});
  EXPECT_EQ(signed_in.status, 200) << signed_in.body;

  // The new rep is in the manager's view.
  EXPECT_TRUE(VisibleLogins("mgr_sh").contains("rep_sh3"));
}

TEST_F(PeopleTest, CreateUserValidationNamesField) {
  ApiClient admin = env_->SignIn("admin");
  admin.SetAcceptLanguage("en");
  struct Case {
    json body;
    std::string field;
    int status;
  };
  const Case cases[] = {
      {json{{"display_name", "x"}, {"role", "rep"}}, "login", 400},
      {json{{"login", "bad login"}, {"display_name", "x"}, {"role", "rep"}}, "login", 400},
      {json{{"login", "ok1"}, {"display_name", "x"}, {"role", "boss"}}, "role", 400},
      {json{{"login", "ok2"}, {"display_name", "x"}, {"role", "rep"}, {"password", "short"}},
       "password", 400},
      {json{{"login", "ok3"}, {"display_name", "x"}, {"role", "rep"}, {"org_unit_id", 9999}},
       "org_unit_id", 400},
      {json{{"login", "ok4"}, {"display_name", "x"}, {"role", "rep"}, {"manager_id", 9999}},
       "manager_id", 400},
      {json{{"login", "rep_sh"}, {"display_name", "x"}, {"role", "rep"}}, "login", 409},
      {json{{"login", "ok5"}, {"display_name", "x"}, {"role", "rep"}, {"colour", "red"}}, "colour",
       400},
  };
  for (const Case& c : cases) {
    ApiResponse response = admin.Post("/api/v1/users", c.body);
    EXPECT_EQ(response.status, c.status) << c.body.dump() << " -> " << response.body;
    EXPECT_NE(response.json["message"].get<std::string>().find(c.field), std::string::npos)
        << c.body.dump() << " -> " << response.body;
  }
}

TEST_F(PeopleTest, WritesNeedAdmin) {
  ApiClient manager = env_->SignIn("mgr_sh");
  EXPECT_EQ(manager.Post("/api/v1/users", json{{"login", "x1"}, {"display_name", "x"}, {"role", "rep"}})
                .status,
            403);
  EXPECT_EQ(manager.Patch(UserPath("rep_sh"), json{{"role", "manager"}}).status, 403);
  EXPECT_EQ(manager.Post("/api/v1/org-units", json{{"name", "x"}, {"type", "team"}}).status, 403);
}

TEST_F(PeopleTest, PatchChangesRoleUnitAndManager) {
  ApiClient admin = env_->SignIn("admin");
  ApiResponse patched = admin.Patch(UserPath("rep_gz"), json{{"role", "manager"},
                                                             {"org_unit_id", env_->OrgUnitId("sh")},
                                                             {"manager_id", nullptr}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.json["role"], "manager");
  EXPECT_EQ(patched.json["org_unit_id"], env_->OrgUnitId("sh"));
  EXPECT_TRUE(patched.json["manager_id"].is_null());
}

TEST_F(PeopleTest, PatchRejectsReportingLoop) {
  ApiClient admin = env_->SignIn("admin");
  ApiResponse looped = admin.Patch(UserPath("dir_east"), json{{"manager_id", env_->UserId("rep_sh")}});
  EXPECT_EQ(looped.status, 400) << looped.body;
  EXPECT_EQ(admin.Patch(UserPath("rep_sh"), json{{"manager_id", env_->UserId("rep_sh")}}).status, 400);
}

TEST_F(PeopleTest, DisablingUserEndsTheirSessions) {
  ApiClient rep = env_->SignIn("rep_sh");
  ApiClient admin = env_->SignIn("admin");
  ApiResponse disabled = admin.Patch(UserPath("rep_sh"), json{{"disabled", true}});
  ASSERT_EQ(disabled.status, 200) << disabled.body;
  EXPECT_EQ(disabled.json["disabled"], true);
  EXPECT_EQ(rep.Get("/api/v1/auth/me").status, 401);

  ASSERT_EQ(admin.Patch(UserPath("rep_sh"), json{{"disabled", false}}).status, 200);
  EXPECT_EQ(env_->Anonymous()
                .Post("/api/v1/auth/sign-in", json{{"login", "rep_sh"}, {"password", kTestPassword}})
                .status,
            200);
}

TEST_F(PeopleTest, AdminCannotLockThemselvesOut) {
  ApiClient admin = env_->SignIn("admin");
  EXPECT_EQ(admin.Patch(UserPath("admin"), json{{"disabled", true}}).status, 409);
  EXPECT_EQ(admin.Patch(UserPath("admin"), json{{"role", "rep"}}).status, 409);
}

TEST_F(PeopleTest, AdminCreatesOrgUnit) {
  ApiClient admin = env_->SignIn("admin");
  ApiResponse created = admin.Post(
      "/api/v1/org-units", json{{"name", "上海二组"}, {"type", "team"}, {"parent_id", env_->OrgUnitId("east")}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json["name"], "上海二组");
  EXPECT_EQ(created.json["parent_id"], env_->OrgUnitId("east"));

  // The director of the region sees the new team.
  ApiClient director = env_->SignIn("dir_east");
  EXPECT_EQ(director.Get("/api/v1/org-units/" + std::to_string(created.json["id"].get<int64_t>()))
                .status,
            200);

  EXPECT_EQ(admin.Post("/api/v1/org-units", json{{"name", "x"}, {"type", "squad"}}).status, 400);
  EXPECT_EQ(admin.Post("/api/v1/org-units", json{{"name", "x"}, {"type", "team"}, {"parent_id", 9999}})
                .status,
            400);
}

}  // namespace
}  // namespace salesradar::api::testing
