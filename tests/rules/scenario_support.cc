#include "scenario_support.h"

#include <fstream>
#include <sstream>

#include <cctz/time_zone.h>

#include "calendar/calendar_loader.h"
#include "cel/time_util.h"
#include "rules/event_object.h"
#include "rules/rule_pack_yaml.h"

namespace salesradar::rules::scenario {

namespace fs = std::filesystem;

Result<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("无法读取文件 " + path.string(), "cannot read file " + path.string());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Result<Timestamp> ParseTime(const std::string& text, const std::string& zone_name) {
  if (text.find('T') != std::string::npos) {
    std::optional<cel::Time> time = cel::ParseTimestamp(text);
    if (time) return FromCelTime(*time);
  }

  cctz::time_zone zone;
  if (!cctz::load_time_zone(zone_name, &zone)) {
    return InvalidArgument("未知时区 " + zone_name, "unknown time zone " + zone_name);
  }
  std::chrono::system_clock::time_point point;
  for (const char* format : {"%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"}) {
    if (cctz::parse(format, text, zone, &point)) {
      return std::chrono::time_point_cast<Microseconds>(point);
    }
  }
  return InvalidArgument("时间 '" + text + "' 无效", "invalid time '" + text + "'; write YYYY-MM-DD HH:MM[:SS]");
}

std::string FormatTime(Timestamp t, const std::string& zone_name) {
  cctz::time_zone zone;
  if (!cctz::load_time_zone(zone_name, &zone)) zone = cctz::utc_time_zone();
  return cctz::format("%Y-%m-%d %H:%M:%S %Ez", t, zone);
}

Result<std::unique_ptr<calendar::CalendarRegistry>> LoadCalendars(const std::vector<std::string>& ids) {
  auto registry = std::make_unique<calendar::CalendarRegistry>();
  for (const std::string& id : ids) {
    fs::path dir = fs::path(SALESRADAR_SOURCE_DIR) / "examples" / "calendars" / id;
    SR_ASSIGN_OR_RETURN(std::string main_text, ReadFile(dir / "calendar.yaml"));
    std::vector<calendar::CalendarFile> years;
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().filename() == "calendar.yaml" || entry.path().extension() != ".yaml") continue;
      SR_ASSIGN_OR_RETURN(std::string text, ReadFile(entry.path()));
      years.push_back({id + "/" + entry.path().filename().string(), std::move(text)});
    }
    SR_ASSIGN_OR_RETURN(calendar::BusinessCalendar loaded,
                        calendar::LoadCalendar({id + "/calendar.yaml", std::move(main_text)}, years));
    SR_RETURN_IF_ERROR(registry->Add(std::move(loaded)));
  }
  return registry;
}

Result<std::vector<SubjectSchema>> LoadSchemas(const fs::path& path) {
  SR_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  std::vector<SubjectSchema> schemas;
  try {
    YAML::Node root = YAML::Load(text);
    for (const auto& entry : root) {
      SubjectSchema schema;
      schema.type = entry.first.as<std::string>();
      schema.message.name = entry.second["message"].as<std::string>();
      for (const auto& field : entry.second["fields"]) {
        SR_ASSIGN_OR_RETURN(cel::Type type, cel::ParseType(field.second.as<std::string>()));
        schema.message.fields.push_back({field.first.as<std::string>(), std::move(type)});
      }
      schemas.push_back(std::move(schema));
    }
  } catch (const YAML::Exception& e) {
    return InvalidArgument(path.string() + "：" + e.what(), path.string() + ": " + e.what());
  }
  return schemas;
}

Result<std::shared_ptr<const CompiledPack>> CompilePackNode(const YAML::Node& node, const fs::path& base_dir,
                                                            const CompileContext& context) {
  std::string text;
  std::string name;
  if (node.IsScalar()) {
    fs::path path = base_dir / node.Scalar();
    SR_ASSIGN_OR_RETURN(text, ReadFile(path));
    name = path.filename().string();
  } else {
    text = YAML::Dump(node);
    name = "(inline pack)";
  }

  CompileResult compiled = CheckRulePack(text, name, context);
  if (!compiled.ok()) return ProblemsToError(compiled.problems);
  return compiled.pack;
}

}  // namespace salesradar::rules::scenario
