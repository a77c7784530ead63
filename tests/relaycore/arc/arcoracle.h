// dkimpy's ARC (dkim_oracle.py arc-sign / arc-verify, /usr/bin/python3) and
// the key records on dnsmasq, for the ARC tests: the independent sealer of
// a first hop and the independent validator of what MailRoute seals.
#pragma once

#include "relaycore/dkim/dkimkeys.h"
#include "tests/relaycore/delivery/dnsmasqprocess.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace arctest {

inline QString oracleScript()
{
    return QStringLiteral(MAILROUTE_DKIM_ORACLE);
}

inline bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

inline QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// dnsmasq --txt-record: strings of at most 255 octets, unquoted, split at commas.
inline QString txtRecord(const QString &name, const QString &value)
{
    QStringList chunks;
    for (qsizetype i = 0; i < value.size(); i += 255)
        chunks << value.mid(i, 255);
    return QStringLiteral("--txt-record=%1,%2").arg(name, chunks.join(QLatin1Char(',')));
}

struct TestKey
{
    QByteArray pem;
    QString record; // v=DKIM1; k=...; p=...
};

inline TestKey makeKey(mailroute::DkimAlgorithm algorithm)
{
    const auto k = mailroute::generateDkimKey(algorithm);
    if (!k)
        return {};
    return {k->privatePem, mailroute::dkimRecordValue(algorithm, k->publicKey)};
}

inline QByteArray runOracle(const QStringList &args, int *exitCode = nullptr, QString *log = nullptr)
{
    QProcess p;
    p.start(QStringLiteral("/usr/bin/python3"), QStringList{oracleScript()} + args);
    p.waitForFinished(120000);
    if (exitCode)
        *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    const QByteArray out = p.readAllStandardOutput();
    if (log)
        *log = QString::fromUtf8(out + p.readAllStandardError());
    return out;
}

// dkimpy's DKIM signature (rsa-sha256, relaxed/relaxed) prepended; empty on failure.
inline QByteArray dkimpySign(const QString &folder, const QByteArray &message, const QByteArray &pem,
                             const QString &selector, const QString &domain, QString *log = nullptr)
{
    const QDir dir(folder);
    writeFile(dir.filePath(QStringLiteral("in.msg")), message);
    writeFile(dir.filePath(QStringLiteral("key.pem")), pem);
    QFile::remove(dir.filePath(QStringLiteral("out.msg")));
    int code = -1;
    runOracle({QStringLiteral("sign"), dir.filePath(QStringLiteral("in.msg")),
               dir.filePath(QStringLiteral("out.msg")), dir.filePath(QStringLiteral("key.pem")), selector,
               domain, QStringLiteral("relaxed"), QStringLiteral("relaxed"), QStringLiteral("rsa-sha256")},
              &code, log);
    QFile::remove(dir.filePath(QStringLiteral("key.pem")));
    return code == 0 ? readFile(dir.filePath(QStringLiteral("out.msg"))) : QByteArray();
}

// dkimpy's ARC set prepended (its Authentication-Results with `srvId` is the payload).
inline QByteArray dkimpyArcSign(const QString &folder, const QByteArray &message, const QByteArray &pem,
                                const QString &selector, const QString &domain, const QString &srvId,
                                QString *log = nullptr)
{
    const QDir dir(folder);
    writeFile(dir.filePath(QStringLiteral("in.msg")), message);
    writeFile(dir.filePath(QStringLiteral("key.pem")), pem);
    QFile::remove(dir.filePath(QStringLiteral("out.msg")));
    int code = -1;
    runOracle({QStringLiteral("arc-sign"), dir.filePath(QStringLiteral("in.msg")),
               dir.filePath(QStringLiteral("out.msg")), dir.filePath(QStringLiteral("key.pem")), selector,
               domain, srvId},
              &code, log);
    QFile::remove(dir.filePath(QStringLiteral("key.pem")));
    return code == 0 ? readFile(dir.filePath(QStringLiteral("out.msg"))) : QByteArray();
}

struct ArcVerdict
{
    QString cv; // pass, fail, none, terminated
    QString reason;
    QStringList lines; // "ams-valid 2 yes", "as-valid 1 yes", ...
    bool has(const QString &line) const { return lines.contains(line); }
};

inline ArcVerdict dkimpyArcVerify(const QString &folder, const QByteArray &message, const QString &nameserver)
{
    const QString file = QDir(folder).filePath(QStringLiteral("verify.msg"));
    writeFile(file, message);
    QString log;
    const QByteArray out = runOracle({QStringLiteral("arc-verify"), file, nameserver}, nullptr, &log);
    ArcVerdict v;
    const QList<QByteArray> lines = out.split('\n');
    if (lines.isEmpty() || lines.first().isEmpty()) {
        v.reason = log;
        return v;
    }
    v.cv = QString::fromUtf8(lines.first().split(' ').first());
    v.reason = QString::fromUtf8(lines.first().mid(lines.first().indexOf(' ') + 1));
    for (qsizetype i = 1; i < lines.size(); ++i) {
        if (!lines[i].isEmpty())
            v.lines << QString::fromUtf8(lines[i]);
    }
    return v;
}

} // namespace arctest
