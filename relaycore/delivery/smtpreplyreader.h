// Reads SMTP replies (RFC 5321 §4.2) out of the bytes a server sends, for the
// relay's SMTP client. Pure: no I/O; used on the engine thread.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

namespace mailroute {

// One complete reply, single- or multi-line.
struct SmtpReply
{
    int code = 0;
    QList<QByteArray> lines; // the text of each line, after "ddd-" / "ddd "

    int codeClass() const { return code / 100; }
    bool isPositive() const { return codeClass() == 2; }
    bool isTransient() const { return codeClass() == 4; }
    bool isPermanent() const { return codeClass() == 5; }
    // The RFC 3463 / RFC 2034 code at the start of the first line ("5.1.1"),
    // when its class matches the reply code's; empty otherwise.
    QString enhancedStatus() const;
    // One line for logs and DSNs: "550 5.1.1 <bob@x>: unknown user" (lines of
    // a multi-line reply joined with spaces, bounded in length).
    QString text() const;
};

// Incremental, strict reply parser. Lines must end in CRLF; a reply code is
// three digits (2-5, 0-5, 0-9) followed by '-', ' ' or the line end; every line
// of a multi-line reply carries the same code; control characters other than
// TAB are refused. Anything else is a protocol error: the client cannot know
// which command a malformed reply belongs to, so it must give up the session.
class SmtpReplyReader final
{
public:
    // RFC 5321 §4.5.3.1.5 allows 512 octets per reply line; real servers send
    // longer ones (long EHLO keywords, verbose rejections), so allow more but
    // stay bounded.
    static constexpr qsizetype kMaxLineLength = 4096;
    static constexpr qsizetype kMaxLines = 200;

    enum class Status { NeedMore, Reply, Error };

    void append(QByteArrayView bytes) { m_buffer.append(bytes.data(), bytes.size()); }
    // Takes the next complete reply out of the buffer. After Error the reader
    // stays in error.
    Status next(SmtpReply *reply);
    QString errorString() const { return m_error; }
    bool hasPendingBytes() const { return !m_buffer.isEmpty() || !m_partial.lines.isEmpty(); }

private:
    Status fail(QString why);

    QByteArray m_buffer;
    SmtpReply m_partial; // the lines of a multi-line reply seen so far
    QString m_error;
};

} // namespace mailroute
