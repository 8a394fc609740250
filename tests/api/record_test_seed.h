// Records seeded for the record route tests, owned by the harness's reps:
//
//   account   opportunity (stage, owner)          contact    activity (actor, subject)
//   acc_sh    opp_sh  (engaging, rep_sh)          con_sh     act_sh   (rep_sh, opp_sh)
//   acc_sh2   opp_sh2 (prospecting, rep_sh2)      con_sh2    act_sh2  (rep_sh2, opp_sh2)
//   acc_gz    opp_gz  (engaging, rep_gz)          con_gz     act_gz   (rep_gz, opp_gz)
//   acc_won   opp_won (won, rep_sh2)              con_won    act_won  (rep_sh2, opp_won)
//   acc_none  -                                   con_none   act_lead (rep_gz, lead lead_gz)
//
// Leads lead_sh, lead_sh2, lead_gz are owned by the rep of the same suffix.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "api_test_env.h"
#include "model/entity.h"

namespace salesradar::api::testing {

class RecordSeed {
 public:
  // Writes the records through a pool connection; fails the test on any error.
  void Write(ApiTestEnv& env) {
    StoreLease store = env.Store();
    auto user = [&](const char* login) { return model::Reference{env.UserId(login), ""}; };

    for (const char* name : {"acc_sh", "acc_sh2", "acc_gz", "acc_won", "acc_none"}) {
      Add(*store, Named(model::EntityKind::kAccount, name, std::string("客户 ") + name));
    }
    struct Deal {
      const char* name;
      const char* stage;
      const char* owner;
      const char* account;
      int64_t fen;
    };
    for (const Deal& deal : {Deal{"opp_sh", "engaging", "rep_sh", "acc_sh", 100'000},
                             Deal{"opp_sh2", "prospecting", "rep_sh2", "acc_sh2", 200'000},
                             Deal{"opp_gz", "engaging", "rep_gz", "acc_gz", 300'000},
                             Deal{"opp_won", "won", "rep_sh2", "acc_won", 400'000}}) {
      model::Record record = Named(model::EntityKind::kOpportunity, deal.name,
                                   std::string("商机 ") + deal.name);
      record.fields["stage"] = std::string(deal.stage);
      record.fields["owner"] = user(deal.owner);
      record.fields["account"] = model::Reference{ids_.at(deal.account), ""};
      record.fields["amount"] = model::Money{deal.fen, "CNY"};
      Add(*store, record);
    }
    for (const char* suffix : {"sh", "sh2", "gz", "won", "none"}) {
      model::Record record = Named(model::EntityKind::kContact, std::string("con_") + suffix,
                                   std::string("联系人 ") + suffix);
      record.fields["account"] = model::Reference{ids_.at(std::string("acc_") + suffix), ""};
      Add(*store, record);
    }
    for (const char* suffix : {"sh", "sh2", "gz"}) {
      model::Record record = Named(model::EntityKind::kLead, std::string("lead_") + suffix,
                                   std::string("线索 ") + suffix);
      record.fields["owner"] = user((std::string("rep_") + suffix).c_str());
      record.fields["status"] = std::string(suffix == std::string("gz") ? "qualified" : "new");
      Add(*store, record);
    }
    AddActivity(*store, "act_sh", user("rep_sh"), "opportunity", "opp_sh");
    AddActivity(*store, "act_sh2", user("rep_sh2"), "opportunity", "opp_sh2");
    AddActivity(*store, "act_gz", user("rep_gz"), "opportunity", "opp_gz");
    AddActivity(*store, "act_won", user("rep_sh2"), "opportunity", "opp_won");
    AddActivity(*store, "act_lead", user("rep_gz"), "lead", "lead_gz");
  }

  int64_t Id(const std::string& name) const { return ids_.at(name); }
  const std::map<std::string, int64_t>& ids() const { return ids_; }

 private:
  static model::Record Named(model::EntityKind kind, std::string external_id, std::string name) {
    model::Record record{kind, std::move(external_id), {}, {}};
    record.fields["name"] = std::move(name);
    return record;
  }

  void AddActivity(store::Store& store, const std::string& name, model::Reference actor,
                   const char* subject_type, const std::string& subject) {
    model::Record record{model::EntityKind::kActivity, name, {}, {}};
    record.fields["type"] = std::string("visit");
    record.fields["actor"] = std::move(actor);
    record.fields["subject_type"] = std::string(subject_type);
    record.fields["subject_id"] = ids_.at(subject);
    record.fields["occurred_at"] = FromUnixMicros(1'767'225'600'000'000 + 3'600'000'000 *
                                                  static_cast<int64_t>(ids_.size()));
    record.fields["subject_text"] = "拜访记录 " + name;
    Add(store, record);
  }

  void Add(store::Store& store, const model::Record& record) {
    Result<std::vector<store::UpsertResult>> results =
        store.Upsert(std::span<const model::Record>(&record, 1));
    ASSERT_TRUE(results.ok()) << results.error().message_en();
    ASSERT_NE(results->front().outcome, store::UpsertOutcome::kRejected)
        << record.external_id << ": " << results->front().error->message_en();
    ids_[record.external_id] = results->front().id;
  }

  std::map<std::string, int64_t> ids_;
};

}  // namespace salesradar::api::testing
