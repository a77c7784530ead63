#include "ui/csvimportdialog.h"

#include "relaycore/routing/configdiff.h"
#include "ui/backgroundstore.h"
#include "ui/filedialogs.h"
#include "ui/importpreviewmodel.h"
#include "ui/userlistexport.h"

#include <QFile>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QStyle>
#include <QTableView>
#include <QVBoxLayout>

namespace mailroute {

// What the worker found: the plan (rows and errors) and a sample of each kind
// of change for the preview table.
struct CsvImportDialog::Checked
{
    QString readError;
    ImportPlan plan;
    qint64 currentCount = 0;
    QList<ImportPreviewModel::Row> preview;
};

namespace {

QString number(qint64 n)
{
    return QLocale().toString(n);
}

} // namespace

CsvImportDialog::CsvImportDialog(BackgroundStore *background, Area area, QString fileName, QWidget *parent)
    : QDialog(parent), m_background(background), m_area(area), m_fileName(std::move(fileName)),
      m_cancel(std::make_shared<std::atomic_bool>(false)), m_fileLabel(new QLabel(this)),
      m_status(new QLabel(this)), m_progress(new QProgressBar(this)), m_summary(new QLabel(this)),
      m_warning(new QLabel(this)), m_errors(new QListWidget(this)), m_preview(new QTableView(this)),
      m_previewModel(new ImportPreviewModel(this)),
      m_exportFirst(new QPushButton(tr("&Export Current List First…"), this)),
      m_replace(new QPushButton(tr("&Replace User List"), this)),
      m_cancelButton(new QPushButton(tr("Cancel"), this))
{
    setObjectName(QStringLiteral("csvImportDialog"));
    setWindowTitle(tr("Upload CSV — %1 users").arg(areaTitle(area)));
    m_fileLabel->setObjectName(QStringLiteral("fileLabel"));
    m_status->setObjectName(QStringLiteral("importStatus"));
    m_progress->setObjectName(QStringLiteral("importProgress"));
    m_summary->setObjectName(QStringLiteral("summaryLabel"));
    m_warning->setObjectName(QStringLiteral("replaceWarning"));
    m_errors->setObjectName(QStringLiteral("errorList"));
    m_preview->setObjectName(QStringLiteral("previewTable"));
    m_errors->setAccessibleName(tr("Problems in the file"));
    m_preview->setAccessibleName(tr("Changes the upload makes"));
    m_exportFirst->setObjectName(QStringLiteral("exportFirstButton"));
    m_replace->setObjectName(QStringLiteral("replaceButton"));
    m_cancelButton->setObjectName(QStringLiteral("cancelButton"));

    const QFileInfo info(m_fileName);
    m_fileLabel->setText(tr("File: %1 (%2)").arg(info.fileName(), QLocale().formattedDataSize(info.size())));
    m_fileLabel->setToolTip(info.absoluteFilePath());
    m_status->setWordWrap(true);
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);
    m_warning->setWordWrap(true);
    m_warning->setTextFormat(Qt::RichText);
    m_progress->setRange(0, 100);
    m_errors->setAlternatingRowColors(true);
    m_errors->setWordWrap(true);
    m_errors->setTextElideMode(Qt::ElideNone);
    m_errors->setSelectionMode(QAbstractItemView::ExtendedSelection);
    showPreviewIn(m_preview, m_previewModel);
    m_preview->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_preview->verticalHeader()->setDefaultSectionSize(m_preview->fontMetrics().height() + 8);
    m_replace->setDefault(false);
    m_replace->setAutoDefault(false);
    m_cancelButton->setAutoDefault(false);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_exportFirst);
    buttons->addStretch(1);
    buttons->addWidget(m_replace);
    buttons->addWidget(m_cancelButton);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_fileLabel);
    layout->addWidget(m_status);
    layout->addWidget(m_progress);
    layout->addWidget(m_summary);
    layout->addWidget(m_errors, 1);
    layout->addWidget(m_preview, 1);
    layout->addWidget(m_warning);
    layout->addLayout(buttons);

    connect(m_replace, &QPushButton::clicked, this, &CsvImportDialog::replace);
    connect(m_cancelButton, &QPushButton::clicked, this, &CsvImportDialog::reject);
    connect(m_exportFirst, &QPushButton::clicked, this, &CsvImportDialog::exportFirst);

    const int em = fontMetrics().horizontalAdvance(QLatin1Char('M'));
    resize(em * 72, em * 40);
    setStage(Stage::Reading);
}

CsvImportDialog::~CsvImportDialog()
{
    // A parse still running on the worker stops at its next progress report.
    m_cancel->store(true);
    // The plan may hold a million rows: freed on the worker, not here.
    m_background->dispose(std::exchange(m_plan, {}));
}

void CsvImportDialog::setStage(Stage stage)
{
    m_stage = stage;
    const bool reading = stage == Stage::Reading;
    const bool applying = stage == Stage::Applying;
    m_progress->setVisible(reading || applying);
    m_summary->setVisible(stage == Stage::Preview || stage == Stage::Refused || applying);
    m_errors->setVisible(stage == Stage::Refused || stage == Stage::Failed);
    m_preview->setVisible(stage == Stage::Preview || applying);
    m_warning->setVisible(stage == Stage::Preview || applying);
    m_exportFirst->setVisible(stage == Stage::Preview);
    m_exportFirst->setEnabled(m_currentCount > 0);
    m_replace->setVisible(stage == Stage::Preview || applying);
    m_replace->setEnabled(stage == Stage::Preview);
    // One transaction: there is no half-way point to stop at while it writes.
    m_cancelButton->setEnabled(!applying);
    m_cancelButton->setText(stage == Stage::Refused || stage == Stage::Failed ? tr("Close") : tr("Cancel"));
    if (applying) {
        m_progress->setRange(0, 0);
        m_status->setText(tr("Replacing the %1 user list in one transaction…").arg(areaTitle(m_area)));
    }
    emit stageChanged(stage);
}

void CsvImportDialog::start()
{
    m_status->setText(tr("Reading and checking every row…"));
    const Area area = m_area;
    const QString path = m_fileName;
    const std::shared_ptr<std::atomic_bool> cancel = m_cancel;
    BackgroundStore *background = m_background;
    // Made here, on the GUI thread; the worker only copies it.
    const QPointer<QObject> guard(this);
    CsvImportDialog *self = this;
    auto lastPercent = std::make_shared<int>(-1);
    m_background->run(
        this,
        [=](ConfigStore &store) {
            Checked out;
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly)) {
                out.readError = tr("Cannot read %1: %2").arg(path, file.errorString());
                return out;
            }
            const QByteArray bytes = file.readAll();
            file.close();
            CsvParseOptions opts;
            opts.progress = [=](qint64 done, qint64 total) {
                if (cancel->load())
                    return false;
                const int percent = total > 0 ? static_cast<int>(done * 100 / total) : 0;
                if (percent != *lastPercent) {
                    *lastPercent = percent;
                    background->toGui(guard, [self, percent] {
                        if (self->m_stage == Stage::Reading)
                            self->m_progress->setValue(percent);
                    });
                }
                return true;
            };
            out.plan = store.planImport(area, bytes, opts);
            out.currentCount = store.userCount(area);
            if (!out.plan.ok() || cancel->load())
                return out;
            background->toGui(guard, [self] {
                if (self->m_stage == Stage::Reading) {
                    self->m_progress->setRange(0, 0);
                    self->m_status->setText(tr("Comparing with the current list…"));
                }
            });
            // The rows behind the counts, a sample of each kind for the table.
            ConfigData before;
            ConfigData after;
            before.area(area).users = store.userMappings(area);
            after.area(area).users = out.plan.parsed.rows;
            const AreaDiff diff = diffConfig(before, after).area(area);
            using Row = ImportPreviewModel::Row;
            using Change = ImportPreviewModel::Change;
            for (qsizetype i = 0; i < diff.usersAdded.size() && i < kPreviewRowsPerKind; ++i)
                out.preview << Row{
                    Change::New, diff.usersAdded.at(i).source, {}, diff.usersAdded.at(i).target};
            for (qsizetype i = 0; i < diff.usersChanged.size() && i < kPreviewRowsPerKind; ++i) {
                const auto &c = diff.usersChanged.at(i);
                out.preview << Row{Change::Changed, c.second.source, c.first.target, c.second.target};
            }
            for (qsizetype i = 0; i < diff.usersRemoved.size() && i < kPreviewRowsPerKind; ++i)
                out.preview << Row{
                    Change::Removed, diff.usersRemoved.at(i).source, diff.usersRemoved.at(i).target, {}};
            return out;
        },
        [this](Checked checked) { showChecked(checked); });
}

void CsvImportDialog::showChecked(const Checked &checked)
{
    m_progress->setRange(0, 100);
    m_plan = checked.plan;
    m_currentCount = checked.currentCount;
    if (!checked.readError.isEmpty()) {
        m_status->setText(checked.readError);
        m_errors->addItem(checked.readError);
        setStage(Stage::Failed);
        return;
    }
    if (m_plan.parsed.cancelled || m_cancel->load()) {
        QDialog::reject();
        return;
    }
    const QString area = areaTitle(m_area);
    if (!m_plan.ok()) {
        const auto &errors = m_plan.parsed.errors;
        m_status->setText(tr("The file was refused as a whole: nothing was changed. Fix the lines below and "
                             "upload it again."));
        m_summary->setText(tr("<b>%n error(s)</b> found.", nullptr, static_cast<int>(errors.size())));
        const QIcon icon = style()->standardIcon(QStyle::SP_MessageBoxCritical);
        for (const CsvError &e : errors) {
            const QString text = e.line > 0 ? tr("Line %1: %2").arg(e.line).arg(e.reason) : e.reason;
            m_errors->addItem(new QListWidgetItem(icon, text));
        }
        setStage(Stage::Refused);
        return;
    }
    m_previewModel->setRows(checked.preview);
    m_status->setText(
        tr("The file is valid: %n row(s).", nullptr, static_cast<int>(m_plan.parsed.rows.size())));
    m_summary->setText(tr("<b>%1</b> new, <b>%2</b> changed, <b>%3</b> removed, %4 unchanged.")
                           .arg(number(m_plan.added), number(m_plan.changed), number(m_plan.removed),
                                number(m_plan.unchanged)));
    if (checked.preview.size() < m_plan.added + m_plan.changed + m_plan.removed)
        m_summary->setText(m_summary->text() + QLatin1Char(' ') +
                           tr("The table shows the first %1 of each kind.").arg(kPreviewRowsPerKind));
    m_warning->setText(tr("<b>Uploading replaces the whole %1 user list</b>: its %2 current mapping(s) are "
                          "replaced by the %3 "
                          "in this file. Export the current list first if you may want it back. The change "
                          "reaches the relay "
                          "when you push.")
                           .arg(area, number(m_currentCount), number(m_plan.parsed.rows.size())));
    setStage(Stage::Preview);
    m_replace->setFocus();
}

void CsvImportDialog::replace()
{
    if (m_stage != Stage::Preview)
        return;
    setStage(Stage::Applying);
    const ImportPlan plan = m_plan;
    m_background->run(
        this, [plan](ConfigStore &store) { return store.applyImport(plan); },
        [this](const Status &st) {
            if (!st) {
                m_status->setText(tr("The user list was not replaced: %1").arg(st.error));
                m_errors->clear();
                m_errors->addItem(st.error);
                setStage(Stage::Failed);
                return;
            }
            emit imported(m_plan);
            accept();
        });
}

void CsvImportDialog::exportFirst()
{
    FileDialogs::saveCsv(
        this, QStringLiteral("exportFirstDialog"),
        tr("Export the current %1 user list").arg(areaTitle(m_area)),
        UserListExport::suggestedFileName(m_area), [this](const QString &path) {
            m_exportFirst->setEnabled(false);
            m_status->setText(tr("Exporting the current list to %1…").arg(path));
            UserListExport::exportUsers(
                m_background, this, m_area, path, [this, path](const QString &error, qint64 rows) {
                    m_exportFirst->setEnabled(true);
                    m_status->setText(error.isEmpty()
                                          ? tr("%1 mapping(s) exported to %2.").arg(number(rows), path)
                                          : error);
                });
        });
}

void CsvImportDialog::reject()
{
    if (m_stage == Stage::Applying)
        return; // the transaction finishes on its own; then the dialog closes
    m_cancel->store(true);
    QDialog::reject();
}

} // namespace mailroute
