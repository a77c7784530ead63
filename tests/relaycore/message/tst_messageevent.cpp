// The message-event kinds: the word each is stored and printed under
// (docs/behaviour.md "Logs") and back.
#include "relaycore/message/messageevent.h"

#include <QSet>
#include <QTest>

using namespace mailroute;
using namespace Qt::StringLiterals;

class TestMessageEvent : public QObject
{
    Q_OBJECT

private slots:
    void everyKindRoundTrips()
    {
        QSet<QString> names;
        for (int i = 0; i < static_cast<int>(MessageEvent::Other); ++i) {
            const auto kind = static_cast<MessageEvent>(i);
            const QString name = messageEventName(kind);
            QVERIFY2(!name.isEmpty() && name != u"other", qPrintable(QString::number(i)));
            QVERIFY2(!names.contains(name), qPrintable(name));
            names.insert(name);
            QCOMPARE(messageEventFromName(name), std::optional<MessageEvent>(kind));
        }
    }

    void storedWords()
    {
        // The words the message log has always stored and `mailroutectl logs` prints.
        QCOMPARE(messageEventName(MessageEvent::Received), u"received"_s);
        QCOMPARE(messageEventName(MessageEvent::Rewritten), u"rewritten"_s);
        QCOMPARE(messageEventName(MessageEvent::Delivered), u"delivered"_s);
        QCOMPARE(messageEventName(MessageEvent::Deferred), u"deferred"_s);
        QCOMPARE(messageEventName(MessageEvent::Bounced), u"bounced"_s);
        QCOMPARE(messageEventName(MessageEvent::Refused), u"refused"_s);
        QCOMPARE(messageEventName(MessageEvent::DelayNotice), u"delay_notice"_s);
        QCOMPARE(messageEventName(MessageEvent::HoldWarning), u"hold_warning"_s);
        QCOMPARE(messageEventName(MessageEvent::SentDot), u"sent-dot"_s);
        MessageLogEntry e;
        e.event = MessageEvent::Kept;
        QCOMPARE(e.eventName(), u"kept"_s);
    }

    void unknownWords()
    {
        QCOMPARE(messageEventFromName(u"other"), std::nullopt);
        QCOMPARE(messageEventFromName(u"Received"), std::nullopt); // stored words are lower case
        QCOMPARE(messageEventFromName(u""), std::nullopt);
        QCOMPARE(messageEventFromName(u"delivered "), std::nullopt);
    }
};

QTEST_GUILESS_MAIN(TestMessageEvent)
#include "tst_messageevent.moc"
