// Runs dkim_oracle.py (dkimpy, /usr/bin/python3) for the DKIM tests: the
// independent verifier of what MailRoute signs, and the independent signer
// of what MailRoute's verifier must accept.
#pragma once

#include <QDir>
#include <QFile>
#include <QHash>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace dkimtest {

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

// dkimpy's verdict ("pass"/"fail") for every *.eml in `folder`, the key
// record served from `record`.
inline QHash<QString, QString> oracleVerify(const QString &folder, const QByteArray &record,
                                            QString *log = nullptr)
{
    const QString recordFile = QDir(folder).filePath(QStringLiteral("record.txt"));
    writeFile(recordFile, record);
    QProcess p;
    p.start(QStringLiteral("/usr/bin/python3"),
            {oracleScript(), QStringLiteral("verify"), folder, recordFile});
    p.waitForFinished(180000);
    const QByteArray out = p.readAllStandardOutput();
    if (log)
        *log = QString::fromUtf8(out + p.readAllStandardError());
    QHash<QString, QString> verdicts;
    for (const QByteArray &line : out.split('\n')) {
        const QList<QByteArray> parts = line.split(' ');
        if (parts.size() >= 2)
            verdicts.insert(QString::fromUtf8(parts[0]), QString::fromUtf8(parts[1]));
    }
    return verdicts;
}

// `message` signed by dkimpy; empty on failure.
inline QByteArray oracleSign(const QString &folder, const QByteArray &message, const QByteArray &keyPem,
                             const QString &selector, const QString &domain, const QString &headerCanon,
                             const QString &bodyCanon, const QString &algorithm, QString *log = nullptr)
{
    const QDir dir(folder);
    writeFile(dir.filePath(QStringLiteral("in.msg")), message);
    writeFile(dir.filePath(QStringLiteral("key.pem")), keyPem);
    QFile::remove(dir.filePath(QStringLiteral("out.msg")));
    QProcess p;
    p.start(QStringLiteral("/usr/bin/python3"),
            {oracleScript(), QStringLiteral("sign"), dir.filePath(QStringLiteral("in.msg")),
             dir.filePath(QStringLiteral("out.msg")), dir.filePath(QStringLiteral("key.pem")), selector,
             domain, headerCanon, bodyCanon, algorithm});
    p.waitForFinished(60000);
    if (log)
        *log = QString::fromUtf8(p.readAllStandardError());
    QFile::remove(dir.filePath(QStringLiteral("key.pem")));
    return p.exitCode() == 0 ? readFile(dir.filePath(QStringLiteral("out.msg"))) : QByteArray();
}

} // namespace dkimtest
