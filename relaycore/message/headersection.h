// The line structure of a message's header section (RFC 5322 §2.1, §2.2):
// where each field starts and ends, where the body begins. Pure: offsets into
// the caller's bytes, nothing copied, safe from any thread. The header
// rewriter, the Received counter and the DSN builder all look at a message
// through this one reading, so they agree on where the header section ends.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace mailroute {

// One header field as byte offsets into the message. The field body runs
// from bodyBegin to end and includes its folding (CRLF + WSP) but not the
// line end that terminates the field.
struct HeaderFieldSpan
{
    qsizetype begin = 0;     // first byte of the field name
    qsizetype nameEnd = 0;   // end of the name (obsolete WSP before ':' excluded, RFC 5322 §4.5)
    qsizetype bodyBegin = 0; // first byte after ':'
    qsizetype end = 0;       // end of the field body, before its line end
    qsizetype next = 0;      // first byte after the field's line end
};

class HeaderSection final
{
public:
    // Reads the header section of `message`: it ends at the first empty line
    // (RFC 5322 §2.1), or at the end of the data when there is none. Lines
    // end in CRLF; a bare LF is read as a line end too (so that hop counting
    // is not fooled by it) but is flagged, see hasBareLineEnds().
    explicit HeaderSection(const QByteArray &message);

    const QByteArray &message() const { return m_message; }
    const QList<HeaderFieldSpan> &fields() const { return m_fields; }

    QByteArrayView name(const HeaderFieldSpan &f) const;
    QByteArrayView body(const HeaderFieldSpan &f) const;
    bool nameIs(const HeaderFieldSpan &f, QByteArrayView fieldName) const; // ASCII case-insensitive

    // Offset of the empty line that ends the header section (its first
    // byte), or the size of the message when there is no empty line.
    qsizetype end() const { return m_end; }
    // Offset of the first body byte; the size of the message when there is no body.
    qsizetype bodyOffset() const { return m_bodyOffset; }
    bool hasSeparator() const { return m_hasSeparator; }
    // A bare LF or bare CR somewhere in the header section. SMTP (RFC 5321
    // §2.3.8) and docs/behaviour.md "Strict input" refuse such messages; code
    // that edits bytes must not guess where such a field ends.
    bool hasBareLineEnds() const { return m_bareLineEnds; }
    // Lines that are not fields: no colon, an invalid name, a continuation
    // line before the first field. They are skipped, never dropped.
    int malformedLineCount() const { return m_malformedLines; }

    // Fields whose name matches `fieldName` case-insensitively.
    int count(QByteArrayView fieldName) const;
    // The header section's bytes, without the empty line.
    QByteArrayView headerBytes() const;

private:
    QByteArray m_message; // implicitly shared with the caller's, never detached
    QList<HeaderFieldSpan> m_fields;
    qsizetype m_end = 0;
    qsizetype m_bodyOffset = 0;
    int m_malformedLines = 0;
    bool m_hasSeparator = false;
    bool m_bareLineEnds = false;
};

} // namespace mailroute
