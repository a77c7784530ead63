#include "relaycore/dkim/dkimcanonicalization.h"

#include "relaycore/dkim/dkimbodycanonicalizer_p.h"

namespace mailroute {

namespace {

using dkimbody::isWsp;

char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

} // namespace

QByteArray dkimCanonicalHeader(DkimCanonicalization c, QByteArrayView field)
{
    if (c == DkimCanonicalization::Simple)
        return field.toByteArray();
    QByteArray out;
    out.reserve(field.size());
    const qsizetype colon = field.indexOf(':');
    if (colon < 0)
        return field.toByteArray(); // not a field; HeaderSection never hands one out
    // Name: lower case, WSP before the colon removed.
    qsizetype nameEnd = colon;
    while (nameEnd > 0 && isWsp(field[nameEnd - 1]))
        --nameEnd;
    for (qsizetype i = 0; i < nameEnd; ++i)
        out.append(lower(field[i]));
    out.append(':');
    // Value: unfold (drop CRLF), WSP runs to one SP, no WSP at either end.
    bool pendingSpace = false;
    bool started = false;
    for (qsizetype i = colon + 1; i < field.size(); ++i) {
        const char ch = field[i];
        if (ch == '\r' && i + 1 < field.size() && field[i + 1] == '\n') {
            ++i;
            continue;
        }
        if (isWsp(ch)) {
            pendingSpace = started;
            continue;
        }
        if (pendingSpace)
            out.append(' ');
        pendingSpace = false;
        started = true;
        out.append(ch);
    }
    return out;
}

QByteArray dkimBodyHash(DkimCanonicalization c, QByteArrayView body, qint64 limit, qint64 *canonicalLength)
{
    dkimbody::LimitedHashSink sink(limit);
    dkimbody::Canonicalizer<dkimbody::LimitedHashSink> canon(c, sink);
    canon.add(body);
    canon.finish();
    if (canonicalLength)
        *canonicalLength = sink.total();
    return sink.result();
}

QByteArray dkimCanonicalBody(DkimCanonicalization c, QByteArrayView body)
{
    dkimbody::CollectSink sink;
    dkimbody::Canonicalizer<dkimbody::CollectSink> canon(c, sink);
    canon.add(body);
    canon.finish();
    return sink.out;
}

QList<int> dkimSelectFields(const HeaderSection &section, const QList<QByteArray> &names)
{
    const QList<HeaderFieldSpan> &fields = section.fields();
    QList<bool> used(fields.size(), false);
    QList<int> out;
    out.reserve(names.size());
    for (const QByteArray &name : names) {
        int chosen = -1;
        for (qsizetype i = fields.size() - 1; i >= 0; --i) {
            if (!used[i] && section.nameIs(fields[i], name)) {
                chosen = int(i);
                used[i] = true;
                break;
            }
        }
        out.append(chosen);
    }
    return out;
}

QByteArray dkimSignedHeaderData(const HeaderSection &section, const QList<QByteArray> &names,
                                DkimCanonicalization c, QByteArrayView signatureField)
{
    QByteArray out;
    const QByteArray &message = section.message();
    for (int index : dkimSelectFields(section, names)) {
        if (index < 0)
            continue;
        const HeaderFieldSpan &f = section.fields().at(index);
        out.append(dkimCanonicalHeader(c, QByteArrayView(message).sliced(f.begin, f.end - f.begin)));
        out.append("\r\n");
    }
    out.append(dkimCanonicalHeader(c, dkimRemoveSignatureValue(signatureField)));
    return out;
}

QByteArray dkimRemoveSignatureValue(QByteArrayView field)
{
    // Tag specs are separated by ';' (§3.2); the value of the one named "b"
    // runs from after its '=' to the next ';' or the end of the field.
    const qsizetype colon = field.indexOf(':');
    qsizetype start = colon < 0 ? 0 : colon + 1;
    while (start <= field.size()) {
        qsizetype end = field.indexOf(';', start);
        if (end < 0)
            end = field.size();
        qsizetype i = start;
        while (i < end && (isWsp(field[i]) || field[i] == '\r' || field[i] == '\n'))
            ++i;
        if (i < end && field[i] == 'b') {
            qsizetype j = i + 1;
            while (j < end && (isWsp(field[j]) || field[j] == '\r' || field[j] == '\n'))
                ++j;
            if (j < end && field[j] == '=') {
                QByteArray out = field.first(j + 1).toByteArray();
                out.append(field.sliced(end));
                return out;
            }
        }
        start = end + 1;
    }
    return field.toByteArray();
}

} // namespace mailroute
