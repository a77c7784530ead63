// mailroutectl logs (docs/behaviour.md "Logs"): the action log and the
// relay's message log merged in time order, once or --follow; --json as
// ctl_json.h describes.
#include "app/ctl/ctlapp.h"

#include "app/ctl/ctl_common.h"
#include "app/ctl/ctl_json.h"
#include "app/ctl/ctl_logline.h"
#include "relaycore/store/configstore.h"

#include <QThread>

#include <algorithm>
#include <csignal>

namespace mailroute {

using ctl::formatTime;

int CtlApp::cmdLogs()
{
    std::optional<Area> area;
    if (m_args.hasValue(QStringLiteral("area"))) {
        area = requireArea(false);
        if (!area)
            return kExitUsage;
    }
    const bool actionsOnly = m_args.has(QStringLiteral("actions"));
    const bool messagesOnly = m_args.has(QStringLiteral("messages"));
    if (actionsOnly && messagesOnly)
        return usage(QStringLiteral("--actions and --messages exclude each other"), m_command);
    if (!openStore())
        return kExitError;

    // Both logs of docs/behaviour.md "Logs", merged in time order: the action
    // log (edits, pushes) and the relay's message log (received, rewritten,
    // delivered...). --json: an array, or JSON Lines with --follow
    // (ctl_json.h).
    std::optional<JsonList> json;
    if (m_args.has(QStringLiteral("json")))
        json.emplace(m_out,
                     m_args.has(QStringLiteral("follow")) ? JsonList::Style::Lines : JsonList::Style::Array);
    qint64 lastAction = 0;
    qint64 lastMessage = 0;
    auto printNew = [&] {
        for (;;) {
            QList<ActionLogEntry> actions;
            QList<MessageLogEntry> messages;
            if (!messagesOnly)
                actions = m_store->actionLog(area, lastAction, 1000);
            if (!actionsOnly) {
                // --area keeps the events of that area's rules; the others
                // (received, delivered, ...) belong to no area.
                for (const MessageLogEntry &e : m_store->messageLog(lastMessage, 1000)) {
                    lastMessage = std::max(lastMessage, e.id);
                    if (!area || e.area == area)
                        messages << e;
                }
            }
            qsizetype a = 0;
            qsizetype m = 0;
            while (a < actions.size() || m < messages.size()) {
                const bool takeAction =
                    m >= messages.size() || (a < actions.size() && actions.at(a).time <= messages.at(m).time);
                if (takeAction) {
                    const ActionLogEntry &e = actions.at(a++);
                    if (json)
                        json->add(actionLogJson(e));
                    else
                        m_out << formatTime(e.time) << '\t'
                              << (e.area ? areaKey(*e.area) : QStringLiteral("-")) << '\t' << e.message
                              << '\n';
                    lastAction = e.id;
                } else {
                    const MessageLogEntry &e = messages.at(m++);
                    if (json)
                        json->add(messageLogJson(e));
                    else
                        m_out << formatTime(e.time) << '\t'
                              << (e.area ? areaKey(*e.area) : QStringLiteral("-")) << '\t'
                              << formatMessageLogLine(e) << '\n';
                }
            }
            if (actions.size() < 1000 && messages.size() < 1000)
                break;
        }
        m_out.flush();
    };
    printNew();
    if (!m_args.has(QStringLiteral("follow")))
        return kExitOk;
    // Poll: cheap, and sees what other processes (a relay, the console) write.
    std::signal(SIGINT, ctl::onStopSignal);
    std::signal(SIGTERM, ctl::onStopSignal);
    while (!ctl::stopRequested) {
        QThread::msleep(200);
        printNew();
    }
    return kExitOk;
}

} // namespace mailroute
