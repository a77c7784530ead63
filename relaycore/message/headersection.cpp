// Reading the header section's line structure (RFC 5322 §2.1, §2.2, §3.6.8).
// One linear pass over the header bytes; the body is never looked at.
#include "relaycore/message/headersection.h"

#include <QByteArrayAlgorithms>

namespace mailroute {

namespace {

// RFC 5322 §3.6.8: ftext = %d33-57 / %d59-126 (printable US-ASCII except ':').
bool isFtext(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return u >= 33 && u <= 126 && u != ':';
}

bool isWsp(char c)
{
    return c == ' ' || c == '\t';
}

} // namespace

HeaderSection::HeaderSection(const QByteArray &message) : m_message(message)
{
    const char *d = m_message.constData();
    const qsizetype n = m_message.size();
    qsizetype pos = 0;
    bool inItem = false;  // a field or a malformed line is open; continuation lines attach to it
    bool inField = false; // ... and it is a real field
    HeaderFieldSpan cur;

    while (pos < n) {
        qsizetype eol = pos;
        while (eol < n && d[eol] != '\n') {
            if (d[eol] == '\r' && (eol + 1 >= n || d[eol + 1] != '\n'))
                m_bareLineEnds = true;
            ++eol;
        }
        qsizetype contentEnd = n;
        qsizetype next = n;
        if (eol < n) {
            if (eol > pos && d[eol - 1] == '\r') {
                contentEnd = eol - 1;
            } else {
                contentEnd = eol;
                m_bareLineEnds = true;
            }
            next = eol + 1;
        }

        if (contentEnd == pos && eol < n) {
            // The empty line that separates header and body (RFC 5322 §2.1).
            m_hasSeparator = true;
            m_end = pos;
            m_bodyOffset = next;
            break;
        }

        if (isWsp(d[pos])) {
            // RFC 5322 §2.2.3: a line starting with WSP continues the field above.
            if (inField) {
                cur.end = contentEnd;
                cur.next = next;
            } else if (!inItem) {
                ++m_malformedLines;
                inItem = true;
            }
            pos = next;
            continue;
        }

        if (inField)
            m_fields.append(cur);
        inItem = true;
        inField = false;
        qsizetype i = pos;
        while (i < contentEnd && isFtext(d[i]))
            ++i;
        const qsizetype nameEnd = i;
        // RFC 5322 §4.5 (obs-optional and the obs- forms of §4.5.*) allow WSP before the colon.
        while (i < contentEnd && isWsp(d[i]))
            ++i;
        if (nameEnd > pos && i < contentEnd && d[i] == ':') {
            cur = HeaderFieldSpan{pos, nameEnd, i + 1, contentEnd, next};
            inField = true;
        } else {
            ++m_malformedLines;
        }
        pos = next;
    }
    if (inField)
        m_fields.append(cur);
    if (!m_hasSeparator) {
        m_end = n;
        m_bodyOffset = n;
    }
}

QByteArrayView HeaderSection::name(const HeaderFieldSpan &f) const
{
    return QByteArrayView(m_message.constData() + f.begin, f.nameEnd - f.begin);
}

QByteArrayView HeaderSection::body(const HeaderFieldSpan &f) const
{
    return QByteArrayView(m_message.constData() + f.bodyBegin, f.end - f.bodyBegin);
}

bool HeaderSection::nameIs(const HeaderFieldSpan &f, QByteArrayView fieldName) const
{
    const QByteArrayView n = name(f);
    return n.size() == fieldName.size() &&
           qstrnicmp(n.data(), n.size(), fieldName.data(), fieldName.size()) == 0;
}

int HeaderSection::count(QByteArrayView fieldName) const
{
    int c = 0;
    for (const HeaderFieldSpan &f : m_fields) {
        if (nameIs(f, fieldName))
            ++c;
    }
    return c;
}

QByteArrayView HeaderSection::headerBytes() const
{
    return QByteArrayView(m_message.constData(), m_end);
}

} // namespace mailroute
