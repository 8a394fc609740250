#include "auth/visibility.h"

#include <gtest/gtest.h>

namespace salesradar::auth {
namespace {

// company 1 -> region 2 -> teams 3 and 4; region 5 (another region) -> team 6.
std::vector<model::OrgUnit> SampleTree() {
  return {
      {1, "c", "公司", "company", std::nullopt},
      {2, "r-east", "华东区", "region", 1},
      {3, "t-sh", "上海组", "team", 2},
      {4, "t-hz", "杭州组", "team", 2},
      {5, "r-north", "华北区", "region", 1},
      {6, "t-bj", "北京组", "team", 5},
  };
}

model::User MakeUser(int64_t id, std::string role, std::optional<int64_t> unit) {
  model::User user;
  user.id = id;
  user.role = std::move(role);
  user.org_unit_id = unit;
  return user;
}

model::Opportunity MakeOpportunity(int64_t id, std::string_view stage, int64_t owner) {
  model::Opportunity opportunity;
  opportunity.id = id;
  opportunity.stage = std::string(stage);
  opportunity.owner_id = owner;
  return opportunity;
}

class VisibilityTest : public ::testing::Test {
 protected:
  Viewer ViewerOf(const model::User& user) {
    Result<Viewer> viewer = ViewerFor(user, units_);
    EXPECT_TRUE(viewer.ok());
    return viewer.ok() ? *viewer : Viewer{};
  }

  std::vector<model::OrgUnit> units_ = SampleTree();
  model::User rep_sh_ = MakeUser(10, "rep", 3);
  model::User rep_hz_ = MakeUser(11, "rep", 4);
  model::User manager_sh_ = MakeUser(20, "manager", 3);
  model::User manager_bj_ = MakeUser(21, "manager", 6);
  model::User director_east_ = MakeUser(30, "director", 2);
  model::User cs_east_ = MakeUser(40, "cs", 2);
  model::User admin_ = MakeUser(50, "admin", std::nullopt);
};

TEST_F(VisibilityTest, SubtreeIncludesRootAndDescendants) {
  EXPECT_EQ(SubtreeOf(units_, 2), (std::vector<int64_t>{2, 3, 4}));
  EXPECT_EQ(SubtreeOf(units_, 1), (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(SubtreeOf(units_, 6), (std::vector<int64_t>{6}));
}

TEST_F(VisibilityTest, SubtreeSurvivesParentCycle) {
  std::vector<model::OrgUnit> cyclic = {{1, "a", "A", "team", 2}, {2, "b", "B", "team", 1}};
  EXPECT_EQ(SubtreeOf(cyclic, 1), (std::vector<int64_t>{1, 2}));
}

TEST_F(VisibilityTest, ViewerUnitsByRole) {
  EXPECT_EQ(ViewerOf(rep_sh_).org_unit_ids, (std::vector<int64_t>{3}));
  EXPECT_EQ(ViewerOf(manager_sh_).org_unit_ids, (std::vector<int64_t>{3}));
  EXPECT_EQ(ViewerOf(director_east_).org_unit_ids, (std::vector<int64_t>{2, 3, 4}));
  EXPECT_EQ(ViewerOf(admin_).org_unit_ids, (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_TRUE(ViewerOf(MakeUser(60, "manager", std::nullopt)).org_unit_ids.empty());
}

TEST_F(VisibilityTest, UnknownRoleIsRejected) {
  EXPECT_FALSE(ViewerFor(MakeUser(70, "owner", 3), units_).ok());
}

TEST_F(VisibilityTest, OpportunityMatrix) {
  model::Opportunity open_sh = MakeOpportunity(100, "engaging", rep_sh_.id);
  model::Opportunity won_hz = MakeOpportunity(101, "won", rep_hz_.id);
  model::Opportunity open_bj = MakeOpportunity(102, "prospecting", manager_bj_.id);

  struct Case {
    const model::User* viewer;
    bool sees_open_sh, sees_won_hz, sees_open_bj;
  };
  const Case cases[] = {
      {&rep_sh_, true, false, false},       {&rep_hz_, false, true, false},
      {&manager_sh_, true, false, false},   {&manager_bj_, false, false, true},
      {&director_east_, true, true, false}, {&cs_east_, false, true, false},
      {&admin_, true, true, true},
  };
  for (const Case& c : cases) {
    Viewer viewer = ViewerOf(*c.viewer);
    SCOPED_TRACE("viewer " + std::to_string(c.viewer->id) + " (" + c.viewer->role + ")");
    EXPECT_EQ(CanSeeOpportunity(viewer, open_sh, &rep_sh_), c.sees_open_sh);
    EXPECT_EQ(CanSeeOpportunity(viewer, won_hz, &rep_hz_), c.sees_won_hz);
    EXPECT_EQ(CanSeeOpportunity(viewer, open_bj, &manager_bj_), c.sees_open_bj);
  }
}

TEST_F(VisibilityTest, UnownedOpportunityOnlyForAdmin) {
  model::Opportunity unowned = MakeOpportunity(103, "won", 0);
  EXPECT_FALSE(CanSeeOpportunity(ViewerOf(director_east_), unowned, nullptr));
  EXPECT_TRUE(CanSeeOpportunity(ViewerOf(admin_), unowned, nullptr));
}

TEST_F(VisibilityTest, AccountFollowsItsOpportunities) {
  model::Opportunity open_sh = MakeOpportunity(100, "engaging", rep_sh_.id);
  std::vector<OwnedOpportunity> account = {{&open_sh, &rep_sh_}};
  EXPECT_TRUE(CanSeeAccount(ViewerOf(rep_sh_), account));
  EXPECT_TRUE(CanSeeAccount(ViewerOf(director_east_), account));
  EXPECT_FALSE(CanSeeAccount(ViewerOf(rep_hz_), account));
  EXPECT_FALSE(CanSeeAccount(ViewerOf(cs_east_), account)) << "no won deal yet";
  EXPECT_FALSE(CanSeeAccount(ViewerOf(manager_bj_), {}));
  EXPECT_TRUE(CanSeeAccount(ViewerOf(admin_), {}));
}

TEST_F(VisibilityTest, UsersAndUnits) {
  Viewer manager = ViewerOf(manager_sh_);
  EXPECT_TRUE(CanSeeUser(manager, rep_sh_));
  EXPECT_TRUE(CanSeeUser(manager, manager_sh_));
  EXPECT_FALSE(CanSeeUser(manager, rep_hz_));
  EXPECT_FALSE(CanSeeUser(manager, director_east_)) << "the region is above the team";

  Viewer rep = ViewerOf(rep_sh_);
  EXPECT_TRUE(CanSeeUser(rep, rep_sh_));
  EXPECT_FALSE(CanSeeUser(rep, manager_sh_));
  EXPECT_TRUE(CanSeeOrgUnit(rep, units_[2]));
  EXPECT_FALSE(CanSeeOrgUnit(rep, units_[1]));

  EXPECT_TRUE(CanSeeOrgUnit(ViewerOf(director_east_), units_[3]));
  EXPECT_FALSE(CanSeeOrgUnit(ViewerOf(director_east_), units_[5]));
}

}  // namespace
}  // namespace salesradar::auth
