// Without a desktop session (no DISPLAY, no WAYLAND_DISPLAY, no
// QT_QPA_PLATFORM), `mailroute` and `installer/setup.sh run` say in one
// sentence that the console needs one and how to run the relay headless
// (mailroutectl serve, mailroute.service), and exit non-zero, instead of
// Qt's "could not load the Qt platform plugin xcb … reinstalling" abort.
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

namespace {

QProcessEnvironment withoutDisplay(const QTemporaryDir &dir)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &name : {u"DISPLAY"_s, u"WAYLAND_DISPLAY"_s, u"QT_QPA_PLATFORM"_s})
        env.remove(name);
    // English, and settings in a scratch home.
    env.insert(u"LC_ALL"_s, u"C.UTF-8"_s);
    env.insert(u"LANG"_s, u"C.UTF-8"_s);
    env.remove(u"LANGUAGE"_s);
    env.insert(u"XDG_CONFIG_HOME"_s, dir.filePath(u"config"_s));
    env.insert(u"XDG_RUNTIME_DIR"_s, dir.path());
    return env;
}

} // namespace

class TestHeadlessConsole final : public QObject
{
    Q_OBJECT
private slots:
    void consoleExplainsInOneSentence()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString db = dir.filePath(u"headless/mailroute.db"_s);
        QProcess console;
        console.setProcessEnvironment(withoutDisplay(dir));
        console.start(QStringLiteral(MAILROUTE_CONSOLE_BIN), {u"--db"_s, db});
        QVERIFY2(console.waitForFinished(60000), "mailroute did not exit");
        const QString out = QString::fromUtf8(console.readAllStandardOutput());
        const QString err = QString::fromUtf8(console.readAllStandardError());
        QCOMPARE(console.exitStatus(), QProcess::NormalExit); // no abort()
        QVERIFY2(console.exitCode() != 0, qPrintable(err));
        QVERIFY2(out.isEmpty(), qPrintable(out));
        const QStringList lines = err.trimmed().split(u'\n');
        QCOMPARE(lines.size(), 1);
        const QString &sentence = lines.constFirst();
        QVERIFY2(sentence.contains(u"needs a desktop session"_s), qPrintable(sentence));
        QVERIFY2(sentence.contains(u"mailroutectl serve"_s), qPrintable(sentence));
        QVERIFY2(sentence.contains(u"mailroute.service"_s), qPrintable(sentence));
        QVERIFY2(!sentence.contains(u"xcb"_s) && !sentence.contains(u"einstall"_s), qPrintable(sentence));
        QVERIFY2(sentence.endsWith(u'.'), qPrintable(sentence));
        QVERIFY(!QFileInfo::exists(db)); // nothing was created
    }

    void setupRunSaysTheSameBeforeBuilding()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QProcess setup;
        QProcessEnvironment env = withoutDisplay(dir);
        // Would it build, it would build here, not in the source tree's build/.
        env.insert(u"BUILD_DIR"_s, dir.filePath(u"build"_s));
        setup.setProcessEnvironment(env);
        setup.start(u"bash"_s, {QStringLiteral(MAILROUTE_SOURCE_DIR "/installer/setup.sh"), u"run"_s});
        QVERIFY2(setup.waitForFinished(60000), "setup.sh run did not exit");
        const QString err = QString::fromUtf8(setup.readAllStandardError());
        QVERIFY2(setup.exitCode() != 0, qPrintable(err));
        const QStringList lines = err.trimmed().split(u'\n');
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines.constFirst().contains(u"needs a desktop session"_s), qPrintable(err));
        QVERIFY2(lines.constFirst().contains(u"setup.sh run --headless"_s), qPrintable(err));
        QVERIFY2(lines.constFirst().contains(u"mailroute.service"_s), qPrintable(err));
        QVERIFY(!QFileInfo::exists(dir.filePath(u"build"_s)));
    }
};

QTEST_GUILESS_MAIN(TestHeadlessConsole)
#include "tst_headlessconsole.moc"
