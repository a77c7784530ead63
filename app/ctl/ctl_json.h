// --json for mailroutectl's listing commands (issue 14 item 6). One
// convention everywhere: a JSON array of objects, one object per line of the
// text output, with snake_case keys; times are ISO 8601 UTC strings, absent
// values null. Written as "[\n{...},\n{...}\n]\n" (one compact object per
// line), so it streams for a million users and still reads line by line.
// The one exception is `logs --follow --json`, whose list has no end: JSON
// Lines (one object per line, no brackets).
#pragma once

#include "relaycore/store/configstore.h"

#include <QJsonObject>
#include <QTextStream>

namespace mailroute {

class JsonList final
{
public:
    enum class Style { Array, Lines };
    explicit JsonList(QTextStream &out, Style style = Style::Array);
    // Closes the array if finish() was not called.
    ~JsonList();
    Q_DISABLE_COPY_MOVE(JsonList)

    void add(const QJsonObject &object);
    void finish();

private:
    QTextStream &m_out;
    Style m_style;
    bool m_first = true;
    bool m_finished = false;
};

// One `logs` entry as JSON: {"time","kind":"action","area","message"} and
// {"time","kind":"message","area","queue_id","event","fields":{...},"text"}.
QJsonObject actionLogJson(const ActionLogEntry &entry);
QJsonObject messageLogJson(const MessageLogEntry &entry);

} // namespace mailroute
