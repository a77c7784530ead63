// JsonList and CtlApp::runJson(): the listing commands' --json output that
// needs nothing but the store (domains, users, generations, lint, diff,
// settings, routes, queue). logs, hold, dkim, verify, check and status write their
// own JSON with JsonList; any other command refuses --json.
#include "app/ctl/ctl_json.h"

#include "app/ctl/ctl_logline.h"
#include "app/ctl/ctl_queue.h"
#include "app/ctl/ctlapp.h"
#include "relaycore/config/settingsschema.h"
#include "relaycore/queue/spool.h"
#include "relaycore/routing/configlint.h"
#include "relaycore/routing/mailaddress.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace mailroute {

namespace {

QString isoTime(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODate);
}

QJsonValue areaJson(const std::optional<Area> &area)
{
    return area ? QJsonValue(areaKey(*area)) : QJsonValue();
}

QJsonObject mappingJson(const QString &source, const QString &target)
{
    return QJsonObject{{u"source"_s, source}, {u"target"_s, target}};
}

} // namespace

JsonList::JsonList(QTextStream &out, Style style) : m_out(out), m_style(style) {}

JsonList::~JsonList()
{
    finish();
}

void JsonList::add(const QJsonObject &object)
{
    const QString text = QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
    if (m_style == Style::Lines) {
        m_out << text << '\n';
        return;
    }
    m_out << (m_first ? "[\n" : ",\n") << text;
    m_first = false;
}

void JsonList::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_style == Style::Array)
        m_out << (m_first ? "[]\n" : "\n]\n");
    m_out.flush();
}

QJsonObject actionLogJson(const ActionLogEntry &e)
{
    return QJsonObject{{u"time"_s, isoTime(e.time)},
                       {u"kind"_s, u"action"_s},
                       {u"area"_s, areaJson(e.area)},
                       {u"message"_s, e.message}};
}

QJsonObject messageLogJson(const MessageLogEntry &e)
{
    return QJsonObject{{u"time"_s, isoTime(e.time)},
                       {u"kind"_s, u"message"_s},
                       {u"area"_s, areaJson(e.area)},
                       {u"queue_id"_s, e.queueId.isEmpty() ? QJsonValue() : QJsonValue(e.queueId)},
                       {u"event"_s, e.eventName()},
                       {u"fields"_s, QJsonObject::fromVariantMap(e.fields)},
                       {u"text"_s, formatMessageLogLine(e)}};
}

int CtlApp::runJson()
{
    // Commands that print their own JSON (or are not this file's: a command
    // added elsewhere decides for itself).
    static const QStringList own{u"logs"_s, u"hold"_s, u"dkim"_s, u"verify"_s, u"status"_s, u"check"_s,
                                 u"wave"_s, u"trace"_s};
    static const QStringList none{u"route"_s,  u"push"_s,  u"rollback"_s, u"serve"_s,     u"secret"_s,
                                  u"export"_s, u"purge"_s, u"completion"_s};
    static const char *const listings =
        "domains list, users list, users export, generations, lint, diff, logs, settings list, routes list, "
        "queue list, hold list, dkim list, verify excluded, verify targets, check dns, check connector, status, "
        "wave list and trace";
    if (own.contains(m_command))
        return -1;
    const QString verb = m_positionals.value(0);
    auto refuse = [&] {
        return usage(u"--json is not available for '%1'; it goes with %2"_s.arg(
                         QString(m_command + QLatin1Char(' ') + verb).trimmed(), QLatin1String(listings)),
                     m_command);
    };
    if (none.contains(m_command))
        return refuse();
    using A = CtlVerb::AreaUse;

    if (m_command == QLatin1String("domains")) {
        if (verb != QLatin1String("list"))
            return refuse();
        return dispatch({{"list", A::AnyArea, 0, 0, true, [this] {
                              JsonList list(m_out);
                              for (const DomainMapping &m : m_store->domainMappings(*m_area))
                                  list.add(mappingJson(displayDomain(m.source), displayDomain(m.target)));
                              return kExitOk;
                          }}});
    }
    if (m_command == QLatin1String("users")) {
        if (verb != QLatin1String("list") && verb != QLatin1String("export"))
            return refuse();
        // "export" writes the same array to FILE (stdout when - or none).
        return dispatch({{verb.toLatin1() == "list" ? "list" : "export", A::UserArea, 0,
                          verb == QLatin1String("list") ? 0 : 1, true, [this] {
                              QFile file;
                              QTextStream fileStream;
                              const QString target = m_positionals.value(0, u"-"_s);
                              QTextStream *out = &m_out;
                              if (target != QLatin1String("-")) {
                                  file.setFileName(target);
                                  if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
                                      return fail(u"cannot write %1: %2"_s.arg(target, file.errorString()));
                                  fileStream.setDevice(&file);
                                  out = &fileStream;
                              }
                              {
                                  JsonList list(*out);
                                  const qint64 page = 50000;
                                  for (qint64 offset = 0;; offset += page) {
                                      const QList<UserMapping> rows =
                                          m_store->userMappings(*m_area, offset, page);
                                      for (const UserMapping &u : rows)
                                          list.add(mappingJson(u.source, u.target));
                                      if (rows.size() < page)
                                          break;
                                  }
                              }
                              if (file.isOpen() && (fileStream.status() != QTextStream::Ok || !file.flush()))
                                  return fail(u"cannot write %1: %2"_s.arg(target, file.errorString()));
                              return kExitOk;
                          }}});
    }
    if (m_command == QLatin1String("generations")) {
        if (!expectPositionals(0, 0))
            return kExitUsage;
        if (!openStore())
            return kExitError;
        JsonList list(m_out);
        for (const GenerationInfo &g : m_store->generations())
            list.add(QJsonObject{{u"generation"_s, g.number},
                                 {u"created"_s, isoTime(g.created)},
                                 {u"domains"_s, g.domainCount},
                                 {u"users"_s, g.userCount},
                                 {u"active"_s, g.active}});
        return kExitOk;
    }
    if (m_command == QLatin1String("lint")) {
        if (!expectPositionals(0, 0))
            return kExitUsage;
        if (!openStore())
            return kExitError;
        JsonList list(m_out);
        for (const LintFinding &f : lintConfig(m_store->draft()))
            list.add(QJsonObject{
                {u"severity"_s, f.severity == LintFinding::Severity::Warning ? u"warning"_s : u"info"_s},
                {u"area"_s, areaJson(f.area)},
                {u"message"_s, f.message}});
        return kExitOk;
    }
    if (m_command == QLatin1String("diff")) {
        if (!expectPositionals(0, 0))
            return kExitUsage;
        if (!openStore())
            return kExitError;
        JsonList list(m_out);
        for (const QString &line : m_store->pendingDiff().toLines())
            list.add(QJsonObject{{u"change"_s, line}});
        return kExitOk;
    }
    if (m_command == QLatin1String("settings")) {
        if (verb != QLatin1String("list"))
            return refuse();
        return dispatch({{"list", A::None, 0, 0, true, [this] {
                              JsonList list(m_out);
                              for (const SettingDef &def : SettingsSchema::all())
                                  list.add(QJsonObject{{u"key"_s, def.key},
                                                       {u"value"_s, m_store->setting(def.key)},
                                                       {u"default"_s, def.defaultValue}});
                              return kExitOk;
                          }}});
    }
    if (m_command == QLatin1String("routes")) {
        if (verb != QLatin1String("list"))
            return refuse();
        return dispatch({{"list", A::None, 0, 0, true, [this] {
                              JsonList list(m_out);
                              for (const TransportRoute &r : m_store->routes())
                                  list.add(QJsonObject{
                                      {u"domain"_s, r.domain},
                                      {u"next_hop"_s, r.nextHop},
                                      {u"tls"_s, r.tls ? QJsonValue(tlsPolicyName(*r.tls)) : QJsonValue()}});
                              return kExitOk;
                          }}});
    }
    if (m_command == QLatin1String("queue")) {
        if (verb != QLatin1String("list"))
            return refuse();
        m_positionals = m_positionals.mid(1);
        if (!expectPositionals(0, 0))
            return kExitUsage;
        const QString dir = spoolDirectory();
        JsonList list(m_out);
        if (!QFileInfo::exists(dir + QLatin1Char('/') + Spool::databaseFileName()))
            return kExitOk; // no spool yet: nothing queued
        Spool spool(dir, Spool::Role::Admin);
        if (const Status st = spool.open(); !st.ok())
            return fail(u"cannot open the spool in %1: %2"_s.arg(dir, st.error));
        const Status listed =
            forEachQueuedRecipient(spool, [&](const QueuedMessage &m, const QueuedRecipient &r) {
                list.add(
                    QJsonObject{{u"queue_id"_s, m.queueId},
                                {u"arrival"_s, isoTime(m.arrival)},
                                {u"sender"_s, m.sender},
                                {u"recipient"_s, r.address},
                                {u"original_recipient"_s, r.originalAddress},
                                {u"attempts"_s, r.attempts},
                                {u"next_attempt"_s,
                                 r.nextAttempt.isValid() ? QJsonValue(isoTime(r.nextAttempt)) : QJsonValue()},
                                {u"last_error"_s, r.lastError}});
            });
        if (!listed.ok())
            return fail(listed.error);
        return kExitOk;
    }
    return -1; // not a command of this file
}

} // namespace mailroute
