#include "relaycore/message/traceheaders.h"

#include "relaycore/message/headersection.h"

#include <QRegularExpression>
#include <QStringDecoder>

namespace mailroute {

namespace {

constexpr qsizetype kMaxField = 998; // a field longer than a line is cut to it

QByteArray unfold(QByteArrayView body)
{
    QByteArray out = body.first(qMin(body.size(), 4 * kMaxField)).toByteArray();
    out.replace("\r\n", "");
    out.replace('\n', "");
    return out.trimmed();
}

QString decodeWord(const QByteArray &charset, char encoding, const QByteArray &text)
{
    QByteArray bytes;
    if (encoding == 'B' || encoding == 'b') {
        bytes = QByteArray::fromBase64(text);
    } else {
        QByteArray t = text;
        t.replace('_', ' ');
        bytes = QByteArray::fromPercentEncoding(t, '=');
    }
    QStringDecoder decoder(charset.constData());
    if (!decoder.isValid())
        return QString::fromLatin1(bytes);
    return decoder.decode(bytes);
}

} // namespace

QString decodeEncodedWords(QByteArrayView body)
{
    static const QRegularExpression word(QStringLiteral(R"(=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=)"));
    const QString text = QString::fromUtf8(body);
    QString out;
    qsizetype pos = 0;
    bool lastWasWord = false;
    auto it = word.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        const QString between = text.mid(pos, m.capturedStart() - pos);
        // White space between two encoded words is not displayed (RFC 2047 §6.2).
        if (!(lastWasWord && between.trimmed().isEmpty()))
            out += between;
        QByteArray charset = m.captured(1).toLatin1();
        if (const qsizetype star = charset.indexOf('*'); star >= 0) // RFC 2231 language
            charset.truncate(star);
        out += decodeWord(charset, m.captured(2).at(0).toLatin1(), m.captured(3).toLatin1());
        pos = m.capturedEnd();
        lastWasWord = true;
    }
    out += text.mid(pos);
    return out;
}

TraceHeaders traceHeadersOf(const QByteArray &message)
{
    TraceHeaders h;
    const HeaderSection section(message);
    for (const HeaderFieldSpan &f : section.fields()) {
        if (h.messageId.isEmpty() && section.nameIs(f, "Message-ID")) {
            QString id = QString::fromUtf8(unfold(section.body(f))).trimmed();
            if (id.startsWith(u'<'))
                id.remove(0, 1);
            if (const qsizetype close = id.indexOf(u'>'); close >= 0)
                id.truncate(close);
            h.messageId = id.left(kMaxField);
        } else if (h.subject.isEmpty() && section.nameIs(f, "Subject")) {
            h.subject = decodeEncodedWords(unfold(section.body(f))).left(kMaxField);
        }
    }
    return h;
}

} // namespace mailroute
