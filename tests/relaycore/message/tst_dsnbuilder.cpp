// Tests for DsnBuilder: every DSN it makes is parsed back as MIME (RFC 2046
// §5.1 boundaries, RFC 6522 multipart/report) and as RFC 3464 delivery-status
// (§2.2 per-message and §2.3 per-recipient fields, in ABNF order), with the
// line rules of RFC 5322 §2.1.1 and 7-bit cleanliness checked byte by byte.
// One DSN is also pinned as a golden file (data/dsn_failed.eml).
#include "relaycore/message/dsnbuilder.h"
#include "relaycore/message/headersection.h"

#include <QFile>
#include <QRegularExpression>
#include <QTest>
#include <QTimeZone>

using namespace mailroute;

Q_DECLARE_METATYPE(mailroute::DsnInput)

class TestDsnBuilder : public QObject
{
    Q_OBJECT

private slots:
    void golden();
    void structure_data();
    void structure();
    void refusals_data();
    void refusals();
    void boundaryAvoidsContent();
    void generatedIdsDiffer();
    void typedAddress_data();
    void typedAddress();
    void hostileDiagnosticStaysInItsField();
};

namespace {

struct Entity
{
    QList<QPair<QByteArray, QByteArray>> fields; // unfolded, name as written
    QByteArray body;

    QList<QByteArray> values(const QByteArray &name) const
    {
        QList<QByteArray> out;
        for (const auto &f : fields) {
            if (f.first.compare(name, Qt::CaseInsensitive) == 0)
                out << f.second;
        }
        return out;
    }
    QByteArray value(const QByteArray &name) const { return values(name).value(0); }
};

// RFC 5322 §2.2: a field line, then continuation lines starting with WSP.
QList<QPair<QByteArray, QByteArray>> parseFields(const QByteArray &block, bool *ok)
{
    QList<QPair<QByteArray, QByteArray>> out;
    const QList<QByteArray> lines = block.split('\n');
    for (QByteArray line : lines) {
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.isEmpty())
            continue;
        if (line[0] == ' ' || line[0] == '\t') {
            if (out.isEmpty()) {
                *ok = false;
                return out;
            }
            out.last().second += ' ' + line.trimmed();
            continue;
        }
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0) {
            *ok = false;
            return out;
        }
        out.append({line.left(colon), line.mid(colon + 1).trimmed()});
    }
    return out;
}

Entity parseEntity(const QByteArray &raw, bool *ok)
{
    Entity e;
    const HeaderSection s(raw);
    e.fields = parseFields(raw.left(s.end()), ok);
    e.body = raw.mid(s.bodyOffset());
    if (!s.hasSeparator() && !raw.isEmpty())
        *ok = false;
    return e;
}

QByteArray param(const QByteArray &contentType, const QByteArray &name)
{
    const QRegularExpression re(
        QStringLiteral("(?:^|;)\\s*%1=\"?([^\";]+)\"?").arg(QString::fromLatin1(name)),
        QRegularExpression::CaseInsensitiveOption);
    return re.match(QString::fromLatin1(contentType)).captured(1).toLatin1();
}

// RFC 2046 §5.1.1: the CRLF before a delimiter line belongs to the delimiter.
QList<QByteArray> splitMultipart(const QByteArray &body, const QByteArray &boundary, bool *closed)
{
    QList<QByteArray> parts;
    const QByteArray delimiter = "--" + boundary;
    *closed = false;
    const QByteArray line = delimiter + "\r\n";
    const QByteArray nextLine = "\r\n" + line;
    const QByteArray crlfDelimiter = "\r\n" + delimiter;
    qsizetype pos = body.startsWith(line) ? 0 : body.indexOf(nextLine);
    if (pos < 0)
        return parts;
    pos = body.indexOf('\n', pos + (pos == 0 ? 0 : 2)) + 1;
    for (;;) {
        const qsizetype next = body.indexOf(crlfDelimiter, pos);
        if (next < 0)
            return parts;
        parts << body.mid(pos, next - pos);
        const qsizetype after = next + 2 + delimiter.size();
        if (body.mid(after, 4) == "--\r\n") {
            *closed = true;
            return parts;
        }
        if (body.mid(after, 2) != "\r\n")
            return parts;
        pos = after + 2;
    }
}

// RFC 3464 §2.1: groups of fields separated by empty lines.
QList<QList<QPair<QByteArray, QByteArray>>> statusGroups(const QByteArray &body, bool *ok)
{
    QList<QList<QPair<QByteArray, QByteArray>>> groups;
    QByteArray b = body;
    while (b.endsWith("\r\n"))
        b.chop(2);
    qsizetype start = 0;
    while (start <= b.size()) {
        qsizetype end = b.indexOf("\r\n\r\n", start);
        if (end < 0)
            end = b.size();
        groups << parseFields(b.mid(start, end - start), ok);
        start = end + 4;
    }
    return groups;
}

QDateTime at(int h, int m)
{
    return QDateTime(QDate(2025, 2, 13), QTime(h, m, 0), QTimeZone(3600));
}

QByteArray originalMessage()
{
    return "Received: from mail.other.example (mail.other.example [192.0.2.7])\r\n"
           "\tby relay.drypizza.com (MailRoute) with ESMTP id 7QX4\r\n"
           "\tfor <bob@warmsushi.com>; Thu, 13 Feb 2025 10:00:00 +0100\r\n"
           "From: Alice <alice@other.example>\r\n"
           "To: Bob <bob@warmsushi.com>\r\n"
           "Subject: lunch\r\n"
           "Message-ID: <abc@other.example>\r\n"
           "\r\n"
           "The body is not returned.\r\n";
}

DsnRecipient failedBob()
{
    DsnRecipient r;
    r.finalRecipient = QStringLiteral("bob.owen@drypizza.com");
    r.originalRecipient = QStringLiteral("bob@warmsushi.com");
    r.action = DsnAction::Failed;
    r.status = DsnStatus(5, 1, 1);
    r.remoteMta = QStringLiteral("mx.drypizza.com");
    r.diagnosticCode =
        QStringLiteral("550 5.1.1 <bob.owen@drypizza.com>: Recipient address rejected: User unknown");
    r.lastAttempt = at(10, 0);
    return r;
}

DsnInput baseInput()
{
    DsnInput in;
    in.reportingMta = QStringLiteral("relay.drypizza.com");
    in.envelopeSender = QStringLiteral("alice@other.example");
    in.queueId = QStringLiteral("7QX4");
    in.arrivalDate = at(9, 59);
    in.date = at(10, 1);
    in.recipients = {failedBob()};
    in.originalMessage = originalMessage();
    return in;
}

QByteArray expectedHeaderPart(const QByteArray &original)
{
    QByteArray h = HeaderSection(original).headerBytes().toByteArray();
    h.replace("\r\n", "\n");
    h.replace("\n", "\r\n");
    return h;
}

// Everything the RFCs require of a DSN, checked on the bytes.
void checkDsn(const DsnInput &in, const DsnMessage &dsn)
{
    const QByteArray &m = dsn.message;
    QVERIFY(!m.isEmpty());

    // RFC 5322 §2.1/§2.1.1: CRLF only, lines of at most 998 octets.
    QVERIFY(m.endsWith("\r\n"));
    qsizetype lineStart = 0;
    for (qsizetype i = 0; i < m.size(); ++i) {
        if (m[i] == '\r') {
            QVERIFY2(i + 1 < m.size() && m[i + 1] == '\n', "bare CR");
        } else if (m[i] == '\n') {
            QVERIFY2(i > 0 && m[i - 1] == '\r', "bare LF");
            QVERIFY2(i - 1 - lineStart <= 998,
                     qPrintable(QStringLiteral("line of %1 octets").arg(i - 1 - lineStart)));
            lineStart = i + 1;
        } else {
            QVERIFY2(m[i] != '\0', "NUL");
        }
    }

    bool ok = true;
    const Entity top = parseEntity(m, &ok);
    QVERIFY(ok);
    for (const char *required :
         {"From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type", "Auto-Submitted"})
        QVERIFY2(top.values(required).size() == 1, required);
    const QByteArray host = in.reportingMta.toLatin1();
    QCOMPARE(top.value("From"), "Mail Delivery System <MAILER-DAEMON@" + host + ">");
    QCOMPARE(top.value("To"), in.envelopeSender.toUtf8());
    QCOMPARE(top.value("MIME-Version"), QByteArray("1.0"));
    QCOMPARE(top.value("Auto-Submitted"), QByteArray("auto-replied"));
    QVERIFY(QDateTime::fromString(QString::fromLatin1(top.value("Date")), Qt::RFC2822Date).isValid());
    QVERIFY2(QRegularExpression(QStringLiteral("^<[^<>@\\s]+@[^<>@\\s]+>$"))
                 .match(QString::fromLatin1(top.value("Message-ID")))
                 .hasMatch(),
             top.value("Message-ID").constData());
    QCOMPARE(top.value("Message-ID"), '<' + dsn.messageId.toLatin1() + '>');
    const QByteArray ct = top.value("Content-Type");
    QVERIFY2(ct.startsWith("multipart/report;"), ct.constData());
    QCOMPARE(param(ct, "report-type"), QByteArray("delivery-status"));
    const QByteArray boundary = param(ct, "boundary");
    QVERIFY(!boundary.isEmpty());
    QVERIFY(boundary.size() <= 70);
    bool anyFailed = false;
    for (const DsnRecipient &r : in.recipients)
        anyFailed = anyFailed || r.action != DsnAction::Delayed;
    QCOMPARE(top.value("Subject"), anyFailed ? QByteArray("Undelivered Mail Returned to Sender")
                                             : QByteArray("Delayed Mail (still being retried)"));
    QCOMPARE(top.value("Content-Transfer-Encoding"), dsn.eightBit ? QByteArray("8bit") : QByteArray());

    bool closed = false;
    const QList<QByteArray> parts = splitMultipart(top.body, boundary, &closed);
    QVERIFY(closed);
    const QByteArray original = expectedHeaderPart(in.originalMessage);
    QCOMPARE(parts.size(), original.isEmpty() ? 2 : 3);
    // RFC 2046 §5.1.1: the boundary occurs nowhere inside the parts.
    for (const QByteArray &p : parts)
        QVERIFY(!p.contains(QByteArray("--" + boundary)));

    // Part 1: human-readable.
    const Entity text = parseEntity(parts[0], &ok);
    QVERIFY(ok);
    QVERIFY2(text.value("Content-Type").startsWith("text/plain"), text.value("Content-Type").constData());
    const bool qp = text.value("Content-Transfer-Encoding") == "quoted-printable";
    if (!qp) {
        for (const DsnRecipient &r : in.recipients) {
            QVERIFY2(text.body.contains(QByteArray('<' + r.finalRecipient.toUtf8() + '>')),
                     text.body.constData());
            QByteArray diag = r.diagnosticCode.simplified().toLatin1().left(60);
            if (!diag.isEmpty()) {
                QByteArray flat = text.body;
                flat.replace("\r\n    ", " ");
                QVERIFY2(flat.contains(diag), flat.constData());
            }
        }
    }

    // Part 2: RFC 3464 message/delivery-status.
    const Entity status = parseEntity(parts[1], &ok);
    QVERIFY(ok);
    QCOMPARE(status.value("Content-Type"), QByteArray("message/delivery-status"));
    QVERIFY(!status.body.contains("\r\n\r\n\r\n"));
    const auto groups = statusGroups(status.body, &ok);
    QVERIFY(ok);
    QCOMPARE(groups.size(), in.recipients.size() + 1);
    Entity perMessage;
    perMessage.fields = groups[0];
    QCOMPARE(perMessage.values("Reporting-MTA"), QList<QByteArray>{"dns; " + host});
    QVERIFY(perMessage.values("Final-Recipient").isEmpty());
    if (in.arrivalDate.isValid())
        QVERIFY(QDateTime::fromString(QString::fromLatin1(perMessage.value("Arrival-Date")), Qt::RFC2822Date)
                    .isValid());
    // RFC 3464 §2.3 per-recipient-fields, in ABNF order.
    static const QList<QByteArray> order{
        "Original-Recipient", "Final-Recipient",   "Action",       "Status",          "Remote-MTA",
        "Diagnostic-Code",    "Last-Attempt-Date", "Final-Log-ID", "Will-Retry-Until"};
    for (int k = 0; k < in.recipients.size(); ++k) {
        const DsnRecipient &r = in.recipients[k];
        Entity g;
        g.fields = groups[k + 1];
        int last = -1;
        for (const auto &f : g.fields) {
            const int idx = static_cast<int>(order.indexOf(f.first));
            QVERIFY2(idx >= 0 || f.first.startsWith("X-"), f.first.constData());
            QVERIFY2(idx > last || idx < 0, f.first.constData());
            last = qMax(last, idx);
        }
        QCOMPARE(g.values("Final-Recipient"), QList<QByteArray>{DsnBuilder::typedAddress(r.finalRecipient)});
        const bool rewritten = !r.originalRecipient.isEmpty() && r.originalRecipient != r.finalRecipient;
        QCOMPARE(g.values("Original-Recipient").size(), rewritten ? 1 : 0);
        if (rewritten)
            QCOMPARE(g.value("Original-Recipient"), DsnBuilder::typedAddress(r.originalRecipient));
        QCOMPARE(g.values("Action"), QList<QByteArray>{DsnBuilder::actionName(r.action)});
        QVERIFY(QRegularExpression(QStringLiteral("^[245]\\.\\d{1,3}\\.\\d{1,3}$"))
                    .match(QString::fromLatin1(g.value("Status")))
                    .hasMatch());
        if (r.status.isValid())
            QCOMPARE(g.value("Status"), r.status.toString().toLatin1());
        if (!r.remoteMta.isEmpty())
            QVERIFY(g.value("Remote-MTA").startsWith("dns; "));
        if (!r.diagnosticCode.trimmed().isEmpty()) {
            const QByteArray d = g.value("Diagnostic-Code");
            QVERIFY2(QRegularExpression(QStringLiteral("^[A-Za-z0-9-]+; \\S"))
                         .match(QString::fromLatin1(d))
                         .hasMatch(),
                     d.constData());
            if (QRegularExpression(QStringLiteral("^[A-Za-z0-9-]+$")).match(r.diagnosticType).hasMatch())
                QVERIFY2(d.startsWith(QByteArray(r.diagnosticType.toLatin1() + "; ")), d.constData());
        } else {
            QVERIFY(g.values("Diagnostic-Code").isEmpty());
        }
        QCOMPARE(g.values("Will-Retry-Until").size(),
                 r.action == DsnAction::Delayed && r.willRetryUntil.isValid() ? 1 : 0);
    }
    for (qsizetype i = 0; i < parts[1].size(); ++i)
        QVERIFY2(static_cast<unsigned char>(parts[1][i]) < 0x80, "8-bit byte in delivery-status");

    // Part 3: the original header section, as it was.
    if (parts.size() == 3) {
        const Entity headers = parseEntity(parts[2], &ok);
        QVERIFY(ok);
        QCOMPARE(headers.value("Content-Type"), QByteArray("text/rfc822-headers"));
        QCOMPARE(headers.value("Content-Transfer-Encoding"),
                 dsn.eightBit ? QByteArray("8bit") : QByteArray());
        // An overlong line (over 998 octets) is continued on a folded line;
        // otherwise the bytes are the original's.
        bool overlong = false;
        for (const QByteArray &l : original.split('\n'))
            overlong = overlong || l.size() > 999;
        if (!overlong)
            QCOMPARE(headers.body, original);
        QByteArray unfoldedActual = headers.body;
        QByteArray unfoldedOriginal = original;
        QCOMPARE(unfoldedActual.replace("\r\n ", ""), unfoldedOriginal.replace("\r\n ", ""));
    }
    // Only the header section is returned, never the body.
    const QByteArray originalBody = in.originalMessage.mid(HeaderSection(in.originalMessage).bodyOffset());
    if (originalBody.size() >= 10)
        QVERIFY(!m.contains(originalBody));

    // 7-bit everywhere but where 8-bit is declared (RFC 2045 §2.7, §6.4)
    // and in a UTF-8 To address (RFC 6532).
    const qsizetype eightBitFrom = dsn.eightBit ? m.lastIndexOf(parts[2]) : m.size();
    QVERIFY(eightBitFrom > 0);
    const qsizetype toBegin = m.indexOf("\r\nTo: ");
    const qsizetype toEnd = m.indexOf("\r\n", toBegin + 2);
    for (qsizetype i = 0; i < eightBitFrom; ++i) {
        if (dsn.needsSmtpUtf8 && i > toBegin && i < toEnd)
            continue;
        QVERIFY2(static_cast<unsigned char>(m[i]) < 0x80, qPrintable(QStringLiteral("8-bit at %1").arg(i)));
    }
}

} // namespace

void TestDsnBuilder::golden()
{
    DsnInput in = baseInput();
    in.boundary = QStringLiteral("=_MailRoute_7QX4_0123456789abcdef");
    in.messageId = QStringLiteral("20250213090100.0123456789abcdef@relay.drypizza.com");
    const Result<DsnMessage> dsn = DsnBuilder::build(in);
    QVERIFY2(dsn.ok(), qPrintable(dsn.error));
    QFile f(QStringLiteral(MAILROUTE_TEST_DATA "/dsn_failed.eml"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray golden = f.readAll();
    QCOMPARE(dsn->message, golden);
    QCOMPARE(dsn->messageId, in.messageId);
    QVERIFY(!dsn->eightBit);
    QVERIFY(!dsn->needsSmtpUtf8);
    checkDsn(in, *dsn);
}

void TestDsnBuilder::structure_data()
{
    QTest::addColumn<DsnInput>("input");
    QTest::addColumn<bool>("eightBit");
    QTest::addColumn<bool>("smtpUtf8");

    QTest::newRow("one failed, rewritten") << baseInput() << false << false;

    DsnInput notRewritten = baseInput();
    notRewritten.recipients[0].originalRecipient = notRewritten.recipients[0].finalRecipient;
    QTest::newRow("original equals final") << notRewritten << false << false;

    DsnInput several = baseInput();
    DsnRecipient chloe;
    chloe.finalRecipient = QStringLiteral("chloe@drypizza.com");
    chloe.action = DsnAction::Failed;
    chloe.status = DsnStatus(4, 4, 1);
    chloe.diagnosticType = QStringLiteral("X-MailRoute");
    chloe.diagnosticCode =
        QStringLiteral("connect to mx.drypizza.com[198.51.100.7]:25: Connection timed out");
    DsnRecipient dan;
    dan.finalRecipient = QStringLiteral("dan@drypizza.com");
    dan.action = DsnAction::Delayed;
    dan.status = DsnStatus(4, 2, 2);
    dan.remoteMta = QStringLiteral("mx.drypizza.com");
    dan.diagnosticCode =
        QStringLiteral("452-4.2.2 The email account that you tried to reach is over quota.\r\n"
                       "452 4.2.2 Please direct the recipient to the help page.");
    dan.lastAttempt = at(10, 0);
    dan.willRetryUntil = at(11, 0);
    several.recipients << chloe << dan;
    QTest::newRow("three recipients, mixed") << several << false << false;

    DsnInput delayed = baseInput();
    delayed.recipients = {dan};
    QTest::newRow("delayed only") << delayed << false << false;

    DsnInput noStatus = baseInput();
    noStatus.recipients[0].status = DsnStatus();
    noStatus.recipients[0].diagnosticCode.clear();
    noStatus.recipients[0].remoteMta.clear();
    noStatus.arrivalDate = QDateTime();
    noStatus.queueId.clear();
    QTest::newRow("minimal values") << noStatus << false << false;

    DsnInput eight = baseInput();
    eight.originalMessage = "From: =?utf-8?q?J=C3=B6rg?= <j@other.example>\r\nSubject: Gr\xc3\xbc\xc3\x9f"
                            "e\r\nTo: bob@warmsushi.com\r\n\r\nbody";
    QTest::newRow("8-bit original headers") << eight << true << false;

    DsnInput utf8 = baseInput();
    utf8.recipients[0].finalRecipient = QString::fromUtf8("jörg@drypizza.com");
    utf8.recipients[0].originalRecipient = QString::fromUtf8("jörg@warmsushi.com");
    QTest::newRow("UTF-8 recipient") << utf8 << false << false;

    DsnInput utf8Sender = baseInput();
    utf8Sender.envelopeSender = QString::fromUtf8("jörg@other.example");
    QTest::newRow("UTF-8 sender") << utf8Sender << false << true;

    DsnInput lf = baseInput();
    lf.originalMessage = "From: a@other.example\nTo: bob@warmsushi.com\n\nbody\n";
    QTest::newRow("LF-only original") << lf << false << false;

    DsnInput none = baseInput();
    none.originalMessage.clear();
    QTest::newRow("no original headers") << none << false << false;

    DsnInput huge = baseInput();
    huge.recipients[0].diagnosticCode =
        QStringLiteral("550 5.7.1 ") + QString(5000, QLatin1Char('x')) + QStringLiteral(" end");
    huge.recipients[0].remoteMta = QString(300, QLatin1Char('m'));
    QTest::newRow("huge diagnostic and host") << huge << false << false;

    DsnInput longHeader = baseInput();
    longHeader.originalMessage = "X-Long: " + QByteArray(3000, 'y') + "\r\nTo: b@x.example\r\n\r\n";
    QTest::newRow("overlong original header line") << longHeader << false << false;

    DsnInput idn = baseInput();
    idn.reportingMta = QString::fromUtf8("relais.bücher.example");
    QTest::newRow("IDN reporting MTA") << idn << false << false;
}

void TestDsnBuilder::structure()
{
    QFETCH(DsnInput, input);
    QFETCH(bool, eightBit);
    QFETCH(bool, smtpUtf8);
    const Result<DsnMessage> dsn = DsnBuilder::build(input);
    QVERIFY2(dsn.ok(), qPrintable(dsn.error));
    QCOMPARE(dsn->eightBit, eightBit);
    QCOMPARE(dsn->needsSmtpUtf8, smtpUtf8);
    if (input.reportingMta.contains(QString::fromUtf8("bücher")))
        input.reportingMta = QStringLiteral("relais.xn--bcher-kva.example");
    checkDsn(input, *dsn);
}

void TestDsnBuilder::refusals_data()
{
    QTest::addColumn<DsnInput>("input");
    DsnInput nullSender = baseInput();
    nullSender.envelopeSender.clear();
    QTest::newRow("null sender is never bounced") << nullSender;
    DsnInput badSender = baseInput();
    badSender.envelopeSender = QStringLiteral("alice@other.example>\r\nBcc: x@y.example");
    QTest::newRow("invalid sender") << badSender;
    DsnInput badHost = baseInput();
    badHost.reportingMta = QStringLiteral("relay example");
    QTest::newRow("invalid reporting MTA") << badHost;
    DsnInput noRecipients = baseInput();
    noRecipients.recipients.clear();
    QTest::newRow("no recipients") << noRecipients;
}

void TestDsnBuilder::refusals()
{
    QFETCH(DsnInput, input);
    const Result<DsnMessage> dsn = DsnBuilder::build(input);
    QVERIFY(!dsn.ok());
    QVERIFY(!dsn.error.isEmpty());
}

void TestDsnBuilder::boundaryAvoidsContent()
{
    DsnInput in = baseInput();
    in.boundary = QStringLiteral("b");
    in.originalMessage = "X-Trap: --b\r\n--b\r\nTo: x@y.example\r\n\r\n";
    const Result<DsnMessage> dsn = DsnBuilder::build(in);
    QVERIFY(dsn.ok());
    bool ok = true;
    const QByteArray boundary = param(parseEntity(dsn->message, &ok).value("Content-Type"), "boundary");
    QVERIFY(!boundary.isEmpty());
    QVERIFY(boundary != "b");
    checkDsn(in, *dsn);
}

void TestDsnBuilder::generatedIdsDiffer()
{
    const DsnInput in = baseInput();
    const Result<DsnMessage> a = DsnBuilder::build(in);
    const Result<DsnMessage> b = DsnBuilder::build(in);
    QVERIFY(a.ok() && b.ok());
    QVERIFY(a->messageId != b->messageId);
    QVERIFY(a->messageId.endsWith(QLatin1String("@relay.drypizza.com")));
    bool ok = true;
    QVERIFY(param(parseEntity(a->message, &ok).value("Content-Type"), "boundary") !=
            param(parseEntity(b->message, &ok).value("Content-Type"), "boundary"));
    checkDsn(in, *a);
}

void TestDsnBuilder::typedAddress_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("ascii") << QStringLiteral("bob@warmsushi.com") << QByteArray("rfc822; bob@warmsushi.com");
    QTest::newRow("utf-8") << QString::fromUtf8("jörg@bücher.example")
                           << QByteArray("utf-8; j\\x{F6}rg@b\\x{FC}cher.example");
    QTest::newRow("utf-8 with + = \\") << QString::fromUtf8("ö+a=b\\c@x.example")
                                       << QByteArray("utf-8; \\x{F6}\\x{2B}a\\x{3D}b\\x{5C}c@x.example");
    QTest::newRow("astral") << QString::fromUtf8("\xf0\x9f\x98\x80@x.example")
                            << QByteArray("utf-8; \\x{1F600}@x.example");
    QTest::newRow("control stripped")
        << QStringLiteral("a\r\nb@x.example") << QByteArray("rfc822; a b@x.example");
}

void TestDsnBuilder::typedAddress()
{
    QFETCH(QString, address);
    QFETCH(QByteArray, expected);
    QCOMPARE(DsnBuilder::typedAddress(address), expected);
}

void TestDsnBuilder::hostileDiagnosticStaysInItsField()
{
    DsnInput in = baseInput();
    in.recipients[0].diagnosticCode =
        QStringLiteral("550 no\r\n\r\n--b\r\nAction: delivered\r\nStatus: 2.0.0");
    in.recipients[0].diagnosticType = QStringLiteral("smtp\r\nX: y");
    in.boundary = QStringLiteral("b");
    const Result<DsnMessage> dsn = DsnBuilder::build(in);
    QVERIFY(dsn.ok());
    checkDsn(in, *dsn);
    QVERIFY(!dsn->message.contains("\r\nAction: delivered"));
    QVERIFY(!dsn->message.contains("\r\nStatus: 2.0.0"));
    QVERIFY(dsn->message.contains("Diagnostic-Code: smtpXy; 550 no --b Action: delivered Status: 2.0.0\r\n"));
}

QTEST_GUILESS_MAIN(TestDsnBuilder)
#include "tst_dsnbuilder.moc"
