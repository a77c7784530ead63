// Test helper shared by the SMTP tests: drives an SmtpSession the way the
// engine will (start, feed chunks, drain actions, answer MessageReady) and
// records what a client would see as a compact token list:
//   "220", "250:2.1.5" (code and enhanced code of each final reply line),
//   "MSG" (a message handed over), "TLS" (StartTls), "CLOSE".
#pragma once

#include "relaycore/smtp/smtpsession.h"

#include <QByteArrayList>
#include <QRandomGenerator>
#include <QStringList>
#include <QTest>

#include <memory>

namespace mailroute::testing {

enum class SplitMode { Whole, Bytes, AfterCR, Random };

inline const char *splitModeName(SplitMode m)
{
    switch (m) {
    case SplitMode::Whole: return "whole";
    case SplitMode::Bytes: return "bytes";
    case SplitMode::AfterCR: return "afterCR";
    case SplitMode::Random: return "random";
    }
    return "?";
}

// Deterministic (FNV-1a), unlike qHash, whose seed may change per run.
inline quint32 stableSeed(QByteArrayView s)
{
    quint32 h = 2166136261u;
    for (char c : s)
        h = (h ^ quint8(c)) * 16777619u;
    return h;
}

// The chunks a network might deliver `input` in.
inline QByteArrayList splitInput(const QByteArray &input, SplitMode mode, quint32 seed = 1)
{
    QByteArrayList chunks;
    switch (mode) {
    case SplitMode::Whole: chunks << input; break;
    case SplitMode::Bytes:
        for (char c : input)
            chunks << QByteArray(1, c);
        break;
    case SplitMode::AfterCR: {
        // Every CRLF (and every bare CR) split between two chunks.
        qsizetype start = 0;
        for (qsizetype i = 0; i < input.size(); ++i) {
            if (input[i] == '\r') {
                chunks << input.mid(start, i + 1 - start);
                start = i + 1;
            }
        }
        if (start < input.size())
            chunks << input.mid(start);
        break;
    }
    case SplitMode::Random: {
        QRandomGenerator gen(seed);
        qsizetype p = 0;
        while (p < input.size()) {
            const qsizetype n = 1 + gen.bounded(9);
            chunks << input.mid(p, n);
            p += n;
        }
        break;
    }
    }
    return chunks;
}

class SessionHarness
{
public:
    // verdicts: one letter per message handed over, 'A' accept (queue id
    // Q1, Q2, ...), 'R' messageRejected(internalError), 'P' messageRejected
    // with 554 5.7.1; missing letters mean 'A'.
    SessionHarness(SessionConfig config, const QHostAddress &client, PolicySource policy,
                   QString verdicts = QString())
        : m_session(std::move(config), client, 40000, std::move(policy)), m_verdicts(std::move(verdicts))
    {}

    SmtpSession &session() { return m_session; }

    void start()
    {
        m_session.start();
        drain();
    }

    void feed(const QByteArray &chunk)
    {
        m_session.feed(chunk);
        drain();
    }

    void feedAll(const QByteArrayList &chunks)
    {
        for (const QByteArray &c : chunks)
            feed(c);
    }

    void drain()
    {
        for (;;) {
            std::vector<SessionAction> actions = m_session.takeActions();
            if (actions.empty())
                return;
            for (SessionAction &a : actions) {
                ++actionCount;
                switch (a.kind) {
                case SessionAction::Kind::SendReply: recordReplies(a.bytes); break;
                case SessionAction::Kind::Close: tokens << QStringLiteral("CLOSE"); break;
                case SessionAction::Kind::StartTls: tokens << QStringLiteral("TLS"); break;
                case SessionAction::Kind::Diagnostic: diagnostics << a.detail; break;
                case SessionAction::Kind::Refused: refusals << a.recipient; break;
                case SessionAction::Kind::VerifyRecipient: tokens << QStringLiteral("VERIFY"); break;
                case SessionAction::Kind::MessageReady: {
                    tokens << QStringLiteral("MSG");
                    messages << a.message;
                    const qsizetype i = messages.size() - 1;
                    const QChar v = i < m_verdicts.size() ? m_verdicts.at(i) : QLatin1Char('A');
                    if (m_autoVerdict) {
                        if (v == QLatin1Char('R'))
                            m_session.messageRejected(replies::internalError());
                        else if (v == QLatin1Char('P'))
                            m_session.messageRejected(Reply{554, "5.7.1", "Rejected by the spool"});
                        else
                            m_session.messageAccepted("Q" + QByteArray::number(i + 1));
                    }
                    break;
                }
                }
            }
        }
    }

    void setAutoVerdict(bool on) { m_autoVerdict = on; }

    QByteArrayList messageData() const
    {
        QByteArrayList out;
        for (const ReceivedMessage &m : messages)
            out << m.transaction.data;
        return out;
    }

    QStringList tokens;
    QStringList replyLines; // every line as sent, without CRLF
    QByteArray wire;        // everything sent
    QStringList diagnostics;
    QStringList refusals; // recipients the policy refused (SessionAction::Kind::Refused)
    QList<ReceivedMessage> messages;
    int actionCount = 0;
    bool malformedWire = false;

private:
    void recordReplies(const QByteArray &bytes)
    {
        wire += bytes;
        if (!bytes.endsWith("\r\n"))
            malformedWire = true;
        qsizetype start = 0;
        while (start < bytes.size()) {
            const qsizetype end = bytes.indexOf("\r\n", start);
            if (end < 0)
                break;
            const QByteArray line = bytes.mid(start, end - start);
            start = end + 2;
            replyLines << QString::fromLatin1(line);
            // RFC 5321 §4.2: Reply-code [ SP / "-" text ]
            if (line.size() < 3 || line.contains('\r') || line.contains('\n') ||
                (line.size() > 3 && line[3] != ' ' && line[3] != '-')) {
                malformedWire = true;
                continue;
            }
            if (line.size() > 3 && line[3] == '-')
                continue; // not the last line of a multi-line reply
            QString token = QString::fromLatin1(line.left(3));
            // The enhanced code, when the text starts with one.
            const QByteArray rest = line.mid(4);
            const qsizetype sp = rest.indexOf(' ');
            const QByteArray first = sp < 0 ? rest : rest.left(sp);
            if (first.count('.') == 2 && first.size() >= 5 && first[0] >= '2' && first[0] <= '5' &&
                first[1] == '.')
                token += QLatin1Char(':') + QString::fromLatin1(first);
            tokens << token;
        }
    }

    SmtpSession m_session;
    QString m_verdicts;
    bool m_autoVerdict = true;
};

// Compares recorded tokens with an expected "220 250:2.1.0 MSG CLOSE" list;
// an expected token without ':' checks the code only.
inline QString normalizedTokens(const QStringList &actual, const QString &expected)
{
    const QStringList want = expected.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QStringList out;
    for (qsizetype i = 0; i < actual.size(); ++i) {
        QString t = actual.at(i);
        if (i < want.size() && !want.at(i).contains(QLatin1Char(':')) && t.contains(QLatin1Char(':')))
            t = t.left(t.indexOf(QLatin1Char(':')));
        out << t;
    }
    return out.join(QLatin1Char(' '));
}

} // namespace mailroute::testing
