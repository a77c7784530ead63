// "Push": what the push will change (the draft against the active generation)
// and the lint warnings, computed on the store's worker thread; the push
// itself runs there too, so a million-user push never freezes the window.
// Main (GUI) thread.
#pragma once

#include "relaycore/routing/configlint.h"

#include <QDialog>
#include <QStringList>

#include <optional>

class QLabel;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace mailroute {

class BackgroundStore;
class DraftUndo;
class OutboundInverses;

class PushDialog final : public QDialog
{
    Q_OBJECT
public:
    enum class Stage { Checking, Review, NothingToPush, Pushing, Failed };
    static constexpr int kMaxLinesPerList = 500;

    explicit PushDialog(BackgroundStore *background, QWidget *parent = nullptr);

    // Where "Create the Outbound inverse" records its step (may stay unset).
    void setUndo(DraftUndo *undo);
    void start();
    // Closes unless a write is running (it is one transaction: it finishes).
    void reject() override;
    Stage stage() const { return m_stage; }
    QString diffText() const;
    int lintCount() const;
    // Inbound user mappings of the draft without their Outbound inverse
    // (the round-trip rule) as last previewed.
    qsizetype missingInverses() const { return m_missingInverses; }

signals:
    void stageChanged(mailroute::PushDialog::Stage stage);
    void pushed(qint64 generation);

private:
    struct Preview;
    void setStage(Stage stage);
    void preview();
    void showPreview(const Preview &preview);
    void push();
    void createInverses();

    BackgroundStore *m_background;
    Stage m_stage = Stage::Checking;
    QLabel *m_headline;
    QProgressBar *m_progress;
    QLabel *m_summary;
    QPlainTextEdit *m_diff;
    QLabel *m_lintTitle;
    QListWidget *m_lint;
    QPushButton *m_inverses;
    QPushButton *m_push;
    QPushButton *m_cancel;
    QStringList m_dkimNotes; // what the DNS look-up of pending DKIM keys found
    DraftUndo *m_undo = nullptr;
    OutboundInverses *m_inverseAction = nullptr;
    qsizetype m_missingInverses = 0;
    QString m_inverseNote; // what the last "Create the Outbound inverse" did
};

} // namespace mailroute
