// The header fields the message trace keeps (Message-ID, Subject), read from a
// message's header section at receipt. Pure, cheap, any thread.
#pragma once

#include <QByteArray>
#include <QString>

namespace mailroute {

struct TraceHeaders
{
    QString messageId; // without <>, empty when absent
    QString subject;   // unfolded, RFC 2047 encoded-words decoded, empty when absent
};

TraceHeaders traceHeadersOf(const QByteArray &message);

// RFC 2047 encoded-words (B and Q) in an unstructured field body; text that
// is not an encoded word is kept as it is (read as UTF-8).
QString decodeEncodedWords(QByteArrayView body);

} // namespace mailroute
