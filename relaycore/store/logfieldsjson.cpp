#include "relaycore/store/logfieldsjson.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include <cmath>
#include <limits>

namespace mailroute {

namespace {

constexpr char16_t hexDigit(unsigned u)
{
    return char16_t(u < 10 ? u'0' + u : u'a' + u - 10);
}

// Appends `s` as a JSON string body the way Qt's JSON writer escapes it; false
// (and `out` half written) for a surrogate that is not part of a pair, which
// Qt escapes by rules the caller leaves to Qt.
bool appendEscaped(QString &out, const QString &s)
{
    const char16_t *const begin = reinterpret_cast<const char16_t *>(s.constData());
    const char16_t *const end = begin + s.size();
    const char16_t *run = begin; // characters copied as they are, not yet appended
    for (const char16_t *p = begin; p != end;) {
        const char16_t u = *p;
        if (u >= 0x20 && u != u'"' && u != u'\\' && (u < 0xd800 || u > 0xdfff)) {
            ++p;
            continue;
        }
        if (u >= 0xd800 && u <= 0xdbff && p + 1 != end && p[1] >= 0xdc00 && p[1] <= 0xdfff) {
            p += 2; // a pair: UTF-8 in Qt's text, as it is here
            continue;
        }
        if (u >= 0xd800 && u <= 0xdfff)
            return false;
        out += QStringView(run, p);
        run = ++p;
        out += u'\\';
        switch (u) {
        case u'"': out += u'"'; break;
        case u'\\': out += u'\\'; break;
        case 0x8: out += u'b'; break;
        case 0xc: out += u'f'; break;
        case 0xa: out += u'n'; break;
        case 0xd: out += u'r'; break;
        case 0x9: out += u't'; break;
        default:
            out += u"u00";
            out += QChar(hexDigit(u >> 4));
            out += QChar(hexDigit(u & 0xf));
        }
    }
    out += QStringView(run, end);
    return true;
}

// Appends `v` as Qt's JSON writer would; false for a type left to Qt (long
// and unsigned long, which Qt writes as text, lists, maps, dates, ...).
bool appendValue(QString &out, const QVariant &v)
{
    switch (v.metaType().id()) {
    case QMetaType::QString:
        out += u'"';
        if (!appendEscaped(out, v.toString()))
            return false;
        out += u'"';
        return true;
    case QMetaType::Bool: out += v.toBool() ? QLatin1String("true") : QLatin1String("false"); return true;
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::Short:
    case QMetaType::UShort: out += QString::number(v.toLongLong()); return true;
    case QMetaType::ULongLong: {
        const qulonglong n = v.toULongLong();
        if (n > qulonglong(std::numeric_limits<qint64>::max()))
            return false; // Qt writes it as a double
        out += QString::number(qint64(n));
        return true;
    }
    case QMetaType::Double: {
        const double d = v.toDouble();
        // Finite decimals between integers; whole numbers and the rest as Qt
        // converts them (it may keep them as integers).
        if (!std::isfinite(d) || d == std::floor(d))
            return false;
        out += QString::number(d, 'g', QLocale::FloatingPointShortest);
        return true;
    }
    default: return false;
    }
}

} // namespace

QString messageFieldsJsonByQt(const QVariantMap &fields)
{
    return QString::fromUtf8(
        QJsonDocument(QJsonObject::fromVariantMap(fields)).toJson(QJsonDocument::Compact));
}

QString messageFieldsJson(const QVariantMap &fields)
{
    QString out;
    out.reserve(32 + fields.size() * 40);
    out += u'{';
    bool first = true;
    for (auto it = fields.constBegin(); it != fields.constEnd(); ++it) {
        if (!first)
            out += u',';
        first = false;
        out += u'"';
        if (!appendEscaped(out, it.key()))
            return messageFieldsJsonByQt(fields);
        out += QLatin1String("\":");
        if (!appendValue(out, it.value()))
            return messageFieldsJsonByQt(fields);
    }
    out += u'}';
    return out;
}

} // namespace mailroute
