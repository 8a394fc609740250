// Rule pack versions: every published pack text kept, one active version per pack id.
#include <fmt/format.h>

#include "store/postgres/pg_store.h"

namespace salesradar::store::postgres {

// Two Stores that publish the same pack at once: the unique (pack_id, version) and
// one-active-version indexes make the later one fail with kAlreadyExists when the first commits.
Result<RulePackVersion> PgStore::PublishRulePack(std::string_view pack_id, int64_t version, std::string_view yaml,
                                                 std::string_view published_by) {
  return WithTransaction([&]() -> Result<RulePackVersion> {
    PgParams pack;
    pack.AddText(pack_id);
    SR_ASSIGN_OR_RETURN(PgResult newest,
                        connection_->Query("SELECT COALESCE(MAX(version), 0) FROM rule_pack_versions WHERE pack_id = $1",
                                           pack, "read rule pack versions"));
    int64_t stored = newest.Int(0, 0);
    if (version <= stored) {
      return Error(ErrorCode::kFailedPrecondition,
                   fmt::format("规则包 '{}' 已有版本 {}，不能发布版本 {}；请把文件中的 version 改为 {} 或更大", pack_id,
                               stored, version, stored + 1),
                   fmt::format("rule pack '{}' already has version {}, so version {} cannot be published; set "
                               "`version` in the file to {} or more",
                               pack_id, stored, version, stored + 1));
    }

    RulePackVersion row{std::string(pack_id), version, std::string(yaml), clock_->Now(), std::string(published_by),
                        true};
    std::vector<PgCommand> commands(2);
    commands[0] = {"UPDATE rule_pack_versions SET active = FALSE WHERE pack_id = $1 AND active", pack,
                   "deactivate rule pack version"};
    commands[1].sql =
        "INSERT INTO rule_pack_versions (pack_id, version, yaml, published_at, published_by, active) "
        "VALUES ($1, $2, $3, $4, $5, TRUE)";
    commands[1].operation = "insert rule pack version";
    commands[1].params.AddText(row.pack_id);
    commands[1].params.AddInt(row.version);
    commands[1].params.AddText(row.yaml);
    commands[1].params.AddInt(ToUnixMicros(row.published_at));
    commands[1].params.AddText(row.published_by);
    SR_RETURN_IF_ERROR(connection_->RunPipeline(commands));

    logger_->info("rule pack {}: version {} published by {}", row.pack_id, row.version, row.published_by);
    return row;
  });
}

Result<std::vector<RulePackVersion>> PgStore::ListRulePackVersions() {
  SR_ASSIGN_OR_RETURN(PgResult result,
                      connection_->Query("SELECT pack_id, version, yaml, published_at, published_by, active "
                                         "FROM rule_pack_versions ORDER BY pack_id COLLATE \"C\", version",
                                         PgParams(), "list rule pack versions"));
  std::vector<RulePackVersion> versions;
  for (int row = 0; row < result.rows(); ++row) {
    RulePackVersion version;
    version.pack_id = result.Text(row, 0);
    version.version = result.Int(row, 1);
    version.yaml = result.Text(row, 2);
    version.published_at = FromUnixMicros(result.Int(row, 3));
    version.published_by = result.Text(row, 4);
    version.active = result.Bool(row, 5);
    versions.push_back(std::move(version));
  }
  return versions;
}

}  // namespace salesradar::store::postgres
