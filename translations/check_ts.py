#!/usr/bin/env python3
"""Checks the console's .ts files against the sources (ctest i18n_check_ts).

Runs lupdate over ui/, app/console/ and the settings' descriptions
(translations/settingsschema_strings.cpp) into temporary copies of
translations/*.ts (the real files are never written) and fails when an entry
is unfinished (also: a tr() string the .ts files lack, which lupdate adds as
unfinished), vanished or obsolete (its string left the sources), or when a
translation does not keep the source's placeholders (%1, %n), accelerator (&),
plural forms or trailing ellipsis.

  check_ts.py --lupdate PATH --root SOURCE_DIR [--self-test]

--self-test also proves each kind of fault is caught, on damaged copies.
"""
import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

# The same options as translations/translations.cmake, minus -no-obsolete so
# that strings gone from the sources show up as vanished.
LUPDATE_OPTIONS = ['-silent', '-locations', 'none']
PLURAL_FORMS = {'fr': 2, 'de': 2}
PLACEHOLDER = re.compile(r'%(?:\d+|n)')


def accelerators(text):
    """How many mnemonics ('&' before a letter or digit; not '&&', which is a
    literal '&', nor ' & ' in running text) a label has."""
    return len(re.findall(r'&(?=[^\s&])', text.replace('&&', '')))


def run_lupdate(lupdate, root, ts_files):
    command = [lupdate] + LUPDATE_OPTIONS + ['-I', root, os.path.join(root, 'ui'),
                                             os.path.join(root, 'app', 'console'),
                                             os.path.join(root, 'translations', 'settingsschema_strings.cpp'),
                                             '-ts'] + ts_files
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        return ['lupdate did not finish in 300 s (lupdate 6.4 loops on a tr() count like int(a / b))']
    if done.returncode != 0:
        return ['lupdate failed (%d): %s' % (done.returncode, done.stderr.strip())]
    return []


def message_problems(source, message, forms, plural_forms):
    problems = []
    translation = message.find('translation')
    kind = translation.get('type')
    if kind in ('unfinished', 'vanished', 'obsolete'):
        if kind == 'unfinished' and not ''.join(translation.itertext()).strip():
            return ['unfinished (not translated; new in the sources?)']
        return [kind]
    want_places = sorted(PLACEHOLDER.findall(source))
    want_acc = accelerators(source)
    if message.get('numerus') == 'yes':
        if len(forms) != plural_forms:
            problems.append('%d plural forms, %d expected' % (len(forms), plural_forms))
    for form in forms:
        if not form.strip():
            problems.append('empty translation')
            continue
        if sorted(PLACEHOLDER.findall(form)) != want_places:
            problems.append('placeholders %s, the source has %s' % (sorted(PLACEHOLDER.findall(form)), want_places))
        if accelerators(form) != want_acc:
            problems.append('%d accelerator(s) (&), the source has %d' % (accelerators(form), want_acc))
        if source.endswith('…') != form.endswith('…'):
            problems.append('trailing … differs from the source')
    return problems


def check_files(ts_files):
    problems = []
    for path in ts_files:
        root = ET.parse(path).getroot()
        language = (root.get('language') or '').split('_')[0]
        plural_forms = PLURAL_FORMS.get(language, 2)
        count = 0
        for context in root.iter('context'):
            name = context.findtext('name')
            for message in context.iter('message'):
                count += 1
                source = message.findtext('source') or ''
                translation = message.find('translation')
                if message.get('numerus') == 'yes':
                    forms = [f.text or '' for f in translation.iter('numerusform')]
                else:
                    forms = [translation.text or '']
                for problem in message_problems(source, message, forms, plural_forms):
                    problems.append('%s: %s: %r: %s' % (os.path.basename(path), name, source, problem))
        if count == 0:
            problems.append('%s: no messages at all' % os.path.basename(path))
    return problems


def check(lupdate, root, ts_dir):
    """Problems found in copies of ts_dir/*.ts refreshed from root's sources."""
    originals = sorted(glob.glob(os.path.join(ts_dir, 'mailroute_*.ts')))
    if not originals:
        return ['no mailroute_*.ts in %s' % ts_dir]
    with tempfile.TemporaryDirectory(prefix='check_ts.') as tmp:
        copies = []
        for path in originals:
            copies.append(os.path.join(tmp, os.path.basename(path)))
            shutil.copyfile(path, copies[-1])
        return run_lupdate(lupdate, root, copies) or check_files(copies)


def self_test(lupdate, root):
    """Each kind of damage to a copy of the catalogues must be reported."""
    ts_dir = os.path.join(root, 'translations')
    damages = {
        'unfinished': lambda t: t.replace('<translation>', '<translation type="unfinished">', 1),
        'vanished': lambda t: t.replace('</context>', '<message><source>A string no source has</source>'
                                        '<translation>x</translation></message></context>', 1),
        'not translated': lambda t: re.sub(r'<message>\s*<source>&amp;Quit</source>.*?</message>', '', t,
                                           count=1, flags=re.S),
        'placeholders': lambda t: re.sub(r'(<source>Generation %1</source>\s*<translation>)[^<]*',
                                         r'\1Generation', t, count=1),
        'accelerator': lambda t: re.sub(r'(<source>&amp;Quit</source>\s*<translation>)[^<]*',
                                         r'\1Quit', t, count=1),
    }
    failures = []
    for expected, damage in damages.items():
        with tempfile.TemporaryDirectory(prefix='check_ts_self.') as tmp:
            for path in glob.glob(os.path.join(ts_dir, 'mailroute_*.ts')):
                text = open(path, encoding='utf-8').read()
                damaged = damage(text)
                if damaged == text:
                    failures.append('self-test: could not apply the %r damage to %s' % (expected, path))
                open(os.path.join(tmp, os.path.basename(path)), 'w', encoding='utf-8').write(damaged)
            found = check(lupdate, root, tmp)
            if not any(expected in p for p in found):
                failures.append('self-test: a %r fault was not reported (got: %s)' % (expected, found[:3]))
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--lupdate', required=True)
    parser.add_argument('--root', required=True, help='the source tree')
    parser.add_argument('--self-test', action='store_true')
    args = parser.parse_args()
    problems = check(args.lupdate, args.root, os.path.join(args.root, 'translations'))
    if args.self_test:
        problems += self_test(args.lupdate, args.root)
    for problem in problems:
        print(problem)
    if problems:
        print('%d problem(s). Refresh the catalogues with "ninja update_translations", then translate '
              'every entry (Qt Linguist or an editor).' % len(problems))
        return 1
    print('translations complete: %s' % ', '.join(
        os.path.basename(p) for p in sorted(glob.glob(os.path.join(args.root, 'translations', 'mailroute_*.ts')))))
    return 0


if __name__ == '__main__':
    sys.exit(main())
