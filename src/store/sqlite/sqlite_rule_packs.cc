// Rule pack versions: every published pack text kept, one active version per pack id.
#include <fmt/format.h>

#include "store/sqlite/sqlite_store.h"

namespace salesradar::store::sqlite {
namespace {

constexpr const char* kSelectVersions =
    "SELECT pack_id, version, yaml, published_at, published_by, active FROM rule_pack_versions";

RulePackVersion ReadVersion(const Statement& row) {
  RulePackVersion version;
  version.pack_id = row.Text(0);
  version.version = row.Int(1);
  version.yaml = row.Text(2);
  version.published_at = FromUnixMicros(row.Int(3));
  version.published_by = row.Text(4);
  version.active = row.Int(5) == 1;
  return version;
}

}  // namespace

Result<RulePackVersion> SqliteStore::PublishRulePack(std::string_view pack_id, int64_t version,
                                                     std::string_view yaml, std::string_view published_by) {
  return WithTransaction([&]() -> Result<RulePackVersion> {
    SR_ASSIGN_OR_RETURN(StatementLease newest,
                        connection_->Cached("SELECT MAX(version) FROM rule_pack_versions WHERE pack_id = ?"));
    newest->BindText(1, pack_id);
    SR_ASSIGN_OR_RETURN(bool has_row, newest->Step());
    int64_t stored = (has_row && !newest->IsNull(0)) ? newest->Int(0) : 0;
    if (version <= stored) {
      return Error(ErrorCode::kFailedPrecondition,
                   fmt::format("规则包 '{}' 已有版本 {}，不能发布版本 {}；请把文件中的 version 改为 {} 或更大", pack_id,
                               stored, version, stored + 1),
                   fmt::format("rule pack '{}' already has version {}, so version {} cannot be published; set "
                               "`version` in the file to {} or more",
                               pack_id, stored, version, stored + 1));
    }

    SR_ASSIGN_OR_RETURN(StatementLease deactivate,
                        connection_->Cached("UPDATE rule_pack_versions SET active = 0 WHERE pack_id = ? AND active = 1"));
    deactivate->BindText(1, pack_id);
    SR_RETURN_IF_ERROR(deactivate->Run());

    RulePackVersion row{std::string(pack_id), version, std::string(yaml), Now(), std::string(published_by), true};
    SR_ASSIGN_OR_RETURN(StatementLease insert,
                        connection_->Cached("INSERT INTO rule_pack_versions (pack_id, version, yaml, published_at, "
                                            "published_by, active) VALUES (?, ?, ?, ?, ?, 1)"));
    insert->BindText(1, row.pack_id);
    insert->BindInt(2, row.version);
    insert->BindText(3, row.yaml);
    insert->BindInt(4, ToUnixMicros(row.published_at));
    insert->BindText(5, row.published_by);
    SR_RETURN_IF_ERROR(insert->Run());

    logger_->info("rule pack {}: version {} published by {}", row.pack_id, row.version, row.published_by);
    return row;
  });
}

Result<std::vector<RulePackVersion>> SqliteStore::ListRulePackVersions() {
  SR_ASSIGN_OR_RETURN(StatementLease select,
                      connection_->Cached(std::string(kSelectVersions) + " ORDER BY pack_id, version"));
  std::vector<RulePackVersion> versions;
  while (true) {
    SR_ASSIGN_OR_RETURN(bool has_row, select->Step());
    if (!has_row) break;
    versions.push_back(ReadVersion(*select));
  }
  return versions;
}

}  // namespace salesradar::store::sqlite
