// Row visibility of every record list and get route, for every role, over real HTTP.
#include <set>

#include <gtest/gtest.h>

#include "api_test_env.h"
#include "record_test_seed.h"

namespace salesradar::api::testing {
namespace {

using Names = std::set<std::string>;

struct Route {
  std::string path;  // "/api/v1/accounts"
  Names all;         // every seeded record of the kind
};

class RecordVisibilityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = ApiTestEnv::Start();
    ASSERT_NE(env_, nullptr);
    ASSERT_NO_FATAL_FAILURE(seed_.Write(*env_));
  }

  // Returns the external ids on every page of `path` for `client`.
  Names ListAll(ApiClient& client, const std::string& path) {
    Names names;
    std::string target = path + "?limit=2";
    for (int page = 0; page < 100; ++page) {
      ApiResponse response = client.Get(target);
      EXPECT_EQ(response.status, 200) << path << ": " << response.body;
      if (response.status != 200) {
        return names;
      }
      for (const auto& item : response.json["items"]) {
        names.insert(item["external_id"].get<std::string>());
      }
      if (response.json["next_cursor"].is_null()) {
        return names;
      }
      target = path + "?limit=2&cursor=" + response.json["next_cursor"].get<std::string>();
    }
    ADD_FAILURE() << path << ": paging did not end";
    return names;
  }

  std::unique_ptr<ApiTestEnv> env_;
  RecordSeed seed_;
};

TEST_F(RecordVisibilityTest, EveryRouteForEveryRole) {
  const std::vector<Route> routes = {
      {"/api/v1/accounts", {"acc_sh", "acc_sh2", "acc_gz", "acc_won", "acc_none"}},
      {"/api/v1/contacts", {"con_sh", "con_sh2", "con_gz", "con_won", "con_none"}},
      {"/api/v1/leads", {"lead_sh", "lead_sh2", "lead_gz"}},
      {"/api/v1/opportunities", {"opp_sh", "opp_sh2", "opp_gz", "opp_won"}},
      {"/api/v1/activities", {"act_sh", "act_sh2", "act_gz", "act_won", "act_lead"}},
  };
  const Names team_sh = {"acc_sh",   "acc_sh2", "acc_won", "con_sh",  "con_sh2",
                         "con_won",  "lead_sh", "lead_sh2", "opp_sh", "opp_sh2",
                         "opp_won",  "act_sh",  "act_sh2", "act_won"};
  const std::map<std::string, Names> visible = {
      {"rep_sh", {"acc_sh", "con_sh", "lead_sh", "opp_sh", "act_sh"}},
      {"mgr_sh", team_sh},
      {"dir_east", team_sh},
      {"mgr_gz", {"acc_gz", "con_gz", "lead_gz", "opp_gz", "act_gz", "act_lead"}},
      {"cs_east", {"acc_won", "con_won", "opp_won", "act_won"}},
  };

  for (const std::string login : {"rep_sh", "mgr_sh", "mgr_gz", "dir_east", "cs_east", "admin"}) {
    SCOPED_TRACE(login);
    ApiClient client = env_->SignIn(login);
    for (const Route& route : routes) {
      SCOPED_TRACE(route.path);
      Names expected;
      for (const std::string& name : route.all) {
        if (login == "admin" || visible.at(login).contains(name)) {
          expected.insert(name);
        }
      }
      EXPECT_EQ(ListAll(client, route.path), expected);

      for (const std::string& name : route.all) {
        ApiResponse response = client.Get(route.path + "/" + std::to_string(seed_.Id(name)));
        EXPECT_EQ(response.status, expected.contains(name) ? 200 : 404)
            << name << ": " << response.body;
        if (response.status == 404) {
          // The same error code as for an id that does not exist, so nothing reveals the row.
          ApiResponse missing = client.Get(route.path + "/987654");
          EXPECT_EQ(response.json["code"], missing.json["code"]);
        }
      }
    }
  }
}

TEST_F(RecordVisibilityTest, TimelineOfInvisibleOpportunityIsNotFound) {
  ApiClient rep = env_->SignIn("rep_sh");
  ApiResponse own = rep.Get("/api/v1/opportunities/" + std::to_string(seed_.Id("opp_sh")) +
                            "/timeline");
  EXPECT_EQ(own.status, 200) << own.body;
  ApiResponse other = rep.Get("/api/v1/opportunities/" + std::to_string(seed_.Id("opp_gz")) +
                              "/timeline");
  EXPECT_EQ(other.status, 404) << other.body;
}

TEST_F(RecordVisibilityTest, AnonymousIsUnauthorized) {
  ApiClient anonymous = env_->Anonymous();
  EXPECT_EQ(anonymous.Get("/api/v1/opportunities").status, 401);
  EXPECT_EQ(anonymous.Get("/api/v1/accounts/" + std::to_string(seed_.Id("acc_sh"))).status, 401);
}

}  // namespace
}  // namespace salesradar::api::testing
