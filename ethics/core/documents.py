"""PDF documents in the Sarabun typeface (from the fontpkg-sarabun package, given its own glyphs for the halves
of ำ so that the text layer reads as printed) and QR codes."""
from __future__ import annotations

import base64
import copy
import io
from functools import cache
from pathlib import Path

import fontpkg
import segno
from flask import render_template
from flask_babel import force_locale
from fontTools.otlLib.builder import buildCoverage, buildLookup, buildSingleSubstSubtable
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables import otTables

from ethics.core import kept_documents
from ethics.core.text import printable

NIKHAHIT, SARA_AA = "\u0e4d", "\u0e32"
TONE_MARKS = "\u0e48\u0e49\u0e4a\u0e4b"


def _glyph_texts(font: TTFont) -> dict[str, str]:
    """The text each glyph stands for: the cmap's, then through GSUB's single, alternate and ligature substitutions."""
    texts = {glyph: chr(code) for code, glyph in sorted(font.getBestCmap().items(), reverse=True)}  # lowest code wins
    changed = True
    while changed:
        changed = False
        for lookup in font["GSUB"].table.LookupList.Lookup:
            for subtable in lookup.SubTable:
                subtable = getattr(subtable, "ExtSubTable", subtable)
                pairs: list[tuple[list[str], str]] = []
                if isinstance(subtable, otTables.SingleSubst):
                    pairs = [([source], target) for source, target in subtable.mapping.items()]
                elif isinstance(subtable, otTables.AlternateSubst):
                    pairs = [([source], target) for source, targets in subtable.alternates.items() for target in targets]
                elif isinstance(subtable, otTables.LigatureSubst):
                    pairs = [([first, *ligature.Component], ligature.LigGlyph)
                             for first, ligatures in subtable.ligatures.items() for ligature in ligatures]
                for sources, target in pairs:
                    if target not in texts and all(source in texts for source in sources):
                        texts[target] = "".join(texts[source] for source in sources)
                        changed = True
    return texts


def _copy_glyphs(font: TTFont, copies: dict[str, str]) -> None:
    """Add each new glyph of `copies` (new name: existing name) with the outline, metrics, GDEF classes and GPOS
    records of the glyph it copies, so that it is drawn and placed exactly as that glyph. The copies come last
    in the glyph order, so appending them keeps every coverage sorted."""
    order = [*font.getGlyphOrder(), *copies]
    font.setGlyphOrder(order)
    font["glyf"].glyphOrder = order
    for new, old in copies.items():
        font["glyf"][new] = copy.deepcopy(font["glyf"][old])
        font["hmtx"][new] = font["hmtx"][old]
    gdef = font["GDEF"].table
    for class_def in (gdef.GlyphClassDef, getattr(gdef, "MarkAttachClassDef", None)):
        if class_def is not None:
            class_def.classDefs.update({new: class_def.classDefs[old] for new, old in copies.items()
                                        if old in class_def.classDefs})
    mark_sets = getattr(gdef, "MarkGlyphSetsDef", None)
    for coverage in mark_sets.Coverage if mark_sets else ():
        coverage.glyphs += [new for new, old in copies.items() if old in coverage.glyphs]

    def extend(coverage, records: list) -> None:
        for new, old in copies.items():
            if old in coverage.glyphs:
                records.append(copy.deepcopy(records[coverage.glyphs.index(old)]))
                coverage.glyphs.append(new)

    for lookup in font["GPOS"].table.LookupList.Lookup:
        for subtable in lookup.SubTable:
            subtable = getattr(subtable, "ExtSubTable", subtable)
            if isinstance(subtable, otTables.MarkBasePos):
                extend(subtable.MarkCoverage, subtable.MarkArray.MarkRecord)
                extend(subtable.BaseCoverage, subtable.BaseArray.BaseRecord)
            elif isinstance(subtable, otTables.MarkMarkPos):
                extend(subtable.Mark1Coverage, subtable.Mark1Array.MarkRecord)
                extend(subtable.Mark2Coverage, subtable.Mark2Array.Mark2Record)
            elif isinstance(subtable, otTables.PairPos) and subtable.Format == 1:
                extend(subtable.Coverage, subtable.PairSet)
                for pair_set in subtable.PairSet:
                    for new, old in copies.items():
                        for record in [record for record in pair_set.PairValueRecord if record.SecondGlyph == old]:
                            pair_set.PairValueRecord.append(copy.deepcopy(record))
                            pair_set.PairValueRecord[-1].SecondGlyph = new
            elif isinstance(subtable, otTables.PairPos) and subtable.Format == 2:
                subtable.Coverage.glyphs += [new for new, old in copies.items() if old in subtable.Coverage.glyphs]
                for class_def in (subtable.ClassDef1, subtable.ClassDef2):
                    class_def.classDefs.update({new: class_def.classDefs[old] for new, old in copies.items()
                                                if old in class_def.classDefs})
            else:
                coverages = [value for name, value in vars(subtable).items() if name.endswith("Coverage")]
                covered = {glyph for value in coverages for coverage in (value if isinstance(value, list) else [value])
                           if coverage is not None for glyph in coverage.glyphs}
                if covered & set(copies.values()):
                    raise ValueError(f"GPOS lookup type {lookup.LookupType} places a copied glyph: copy its records too")


def _chain_rule(glyph_map: dict[str, int], backtrack: list[str], input_: list[str], lookahead: list[str],
                lookup_index: int):
    """A chaining contextual substitution (format 3) of one glyph class: `input_` between `backtrack` and `lookahead`."""
    subtable = otTables.ChainContextSubst()
    subtable.Format = 3
    subtable.BacktrackCoverage = [buildCoverage(backtrack, glyph_map)] if backtrack else []
    subtable.InputCoverage = [buildCoverage(input_, glyph_map)]
    subtable.LookAheadCoverage = [buildCoverage(lookahead, glyph_map)] if lookahead else []
    record = otTables.SubstLookupRecord()
    record.SequenceIndex, record.LookupListIndex = 0, lookup_index
    subtable.SubstLookupRecord = [record]
    return subtable


def sarabun_with_sara_am(path: Path) -> bytes:
    """Sarabun with its own glyphs for the two halves of ำ (SARA AM), so that a PDF's text can say ำ again.

    HarfBuzz shapes ำ, like every Thai shaping engine, as NIKHAHIT (moved before a tone mark, with which Sarabun
    then ligates it) and SARA AA, the glyphs of ํ and า. A PDF maps each glyph to one text (its ToUnicode CMap),
    so า could not read as า in "การ" and as ำ in "ดำ", nor ้ survive in "น้ำ": copied, searched or read aloud,
    "ดำเนินการ" became "ดาเนินการ" and "น้ำหนัก" "นาหนัก". Here the last GSUB lookup of Thai `ccmp` turns a
    nikhahit (alone or with its tone mark) followed by sara aa into copies of both glyphs, one copy of sara aa
    for each tone mark: each copy then stands for one text wherever it is drawn (WeasyPrint maps a cluster's
    text to its last glyph: ำ, ่ำ, ้ำ ...), and the page looks exactly as before. Sarabun is under the SIL Open
    Font License without a reserved name, which allows this.
    """
    font = TTFont(path)
    sara_aa = font.getBestCmap()[ord(SARA_AA)]
    tones = {glyph: text.replace(NIKHAHIT, "", 1) for glyph, text in _glyph_texts(font).items()
             if NIKHAHIT in text and text.replace(NIKHAHIT, "", 1) in ("", *TONE_MARKS)}
    gsub = font["GSUB"].table
    ccmp = {index for record in gsub.ScriptList.ScriptRecord if record.ScriptTag == "thai"
            for langsys in [record.Script.DefaultLangSys, *(r.LangSys for r in record.Script.LangSysRecord)]
            for index in langsys.FeatureIndex if gsub.FeatureList.FeatureRecord[index].FeatureTag == "ccmp"}
    if not tones or not ccmp:
        raise ValueError(f"{path.name}: no nikhahit glyph or no Thai ccmp feature, so ำ cannot be kept apart")
    nikhahits = {glyph: f"{glyph}.sara_am" for glyph in tones}
    sara_aas = {tone: f"{sara_aa}.sara_am{tone.encode('unicode_escape').decode()[2:]}" for tone in sorted(set(tones.values()))}
    _copy_glyphs(font, {**{new: old for old, new in nikhahits.items()}, **dict.fromkeys(sara_aas.values(), sara_aa)})

    lookups = gsub.LookupList.Lookup

    def add(lookup) -> int:
        lookups.append(lookup)
        return len(lookups) - 1

    glyph_map = font.getReverseGlyphMap(rebuild=True)
    rules = [_chain_rule(glyph_map, [], list(nikhahits), [sara_aa], add(buildLookup([buildSingleSubstSubtable(nikhahits)])))]
    for tone, copied in sara_aas.items():
        before = [glyph for glyph in tones if tones[glyph] == tone]
        rules.append(_chain_rule(glyph_map, before + [nikhahits[glyph] for glyph in before], [sara_aa], [],
                                 add(buildLookup([buildSingleSubstSubtable({sara_aa: copied})]))))
    chain = buildLookup(rules)
    chain.LookupType = 6
    chain_index = add(chain)
    gsub.LookupList.LookupCount = len(lookups)
    for index in ccmp:
        feature = gsub.FeatureList.FeatureRecord[index].Feature
        feature.LookupListIndex.append(chain_index)  # last of all: the font's own ligatures are made by then
        feature.LookupCount = len(feature.LookupListIndex)
    if "DSIG" in font:
        del font["DSIG"]  # a signature of the original file
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


@cache
def _font_css() -> str:
    faces = []
    for weight in (400, 700):
        data = base64.b64encode(sarabun_with_sara_am(fontpkg.path("Sarabun", weight))).decode()
        faces.append(f"@font-face {{ font-family: 'Sarabun'; font-weight: {weight}; src: url('data:font/ttf;base64,{data}'); }}")
    return "\n".join(faces)


def render_pdf(template: str, keep_as: str | None = None, **context) -> bytes:
    """Render a Jinja template to PDF; templates use `font-family: Sarabun`. A long document names
    itself (`keep_as`) to be kept and served again while its HTML stays the same (kept_documents)."""
    from weasyprint import CSS, HTML, __version__
    from weasyprint.text.fonts import FontConfiguration

    with force_locale("th"):  # official documents are in Thai whatever the reader's interface
        html = printable(render_template(template, **context))  # a stored U+202E must not print a name reversed

    def write() -> bytes:
        fonts = FontConfiguration()  # without it WeasyPrint ignores @font-face and Thai falls back to boxes
        return HTML(string=html).write_pdf(stylesheets=[CSS(string=_font_css(), font_config=fonts)], font_config=fonts)

    if keep_as is None:
        return write()
    return kept_documents.kept_or_made(keep_as, kept_documents.fingerprint(html, _font_css(), __version__), write)


def qr_data_uri(text: str) -> str:
    """An SVG QR code as a data: URI, allowed by the CSP's img-src."""
    return segno.make(text, error="m").svg_data_uri(scale=4, border=2)
