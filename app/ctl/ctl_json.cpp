// JsonList and the log entries as JSON: what the listing commands write for
// --json. Each listing writes its own objects in its command's file; which
// verbs take --json is the verb table's (ctl_verbs.cpp).
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

} // namespace mailroute
