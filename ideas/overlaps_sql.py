"""The overlaps lookup on PostgreSQL: one query, bounded whatever the number of ideas (see ideas.overlaps).

Steps, each a CTE of ``OVERLAPS_SQL``:

1. ``probe``: the systems, departments served, departments valuing data, data words and
   service-area words of the probe: the draft's choices plus, for a saved idea, its rows.
2. ``probe_terms``/``rare_text``: the probe's words that are not common, which the text is
   ranked on (trigram word similarity, blended with the share of those words an idea holds, weighted by rarity),
   so common words never make two ideas alike.
   ``text_hits``: at most ``TEXT_CANDIDATES`` ids from ``ideas_similar_candidates``
   (migration 0008: bounded postings, rare words weigh most).
3. ``facet_hits``/``facet_best``: for each of the probe's systems and departments, the
   newest ``FACET_POSTINGS`` ideas from a B-tree (migration 0015); the ideas found most
   often, at most ``FACET_CANDIDATES``.
4. ``scored``: each candidate the viewer may see (``permissions.visible_sql``, never a
   draft), its shared systems, departments and data by name, and its score
   (``overlaps.combined_score`` written in SQL). Trigram similarity only for text hits.
5. The best ``limit`` from ``MIN_SCORE``, with their stage, department and owner.
"""

from __future__ import annotations

from django.db import connection

from . import overlap_words, permissions, similarity
from . import overlaps as tuning
from .models import StageKind
from .overlaps import Overlap, Probe

# Stems of DATA_STOP as PostgreSQL's English configuration cuts them.
_DATA_STOP_SQL = "ARRAY(SELECT unnest(tsvector_to_array(to_tsvector('english', %(data_stop)s))))"

# Fixed text: every value is a parameter.
OVERLAPS_SQL = f"""
WITH probe AS MATERIALIZED (
    SELECT
        ARRAY(SELECT DISTINCT x FROM unnest(%(systems)s::bigint[]
              || ARRAY(SELECT l.system_id FROM ideas_ideacentralsystem l WHERE l.idea_id = %(idea)s)) AS x) AS systems,
        ARRAY(SELECT DISTINCT x FROM unnest(%(served)s::bigint[]
              || ARRAY(SELECT l.department_id FROM ideas_idea_departments l WHERE l.idea_id = %(idea)s)) AS x) AS served,
        ARRAY(SELECT DISTINCT x FROM unnest(%(valued)s::bigint[]
              || ARRAY(SELECT v.department_id FROM ideas_dataoutput o
                       JOIN ideas_dataoutput_valued_by v ON v.dataoutput_id = o.id WHERE o.idea_id = %(idea)s)) AS x) AS valued,
        concat_ws(' ', %(data_text)s::text,
                  (SELECT string_agg(o.description, ' ') FROM ideas_dataoutput o WHERE o.idea_id = %(idea)s)) AS data_text,
        %(services)s::text AS services
), probe_words AS MATERIALIZED (
    SELECT
        ARRAY(SELECT w FROM unnest(tsvector_to_array(to_tsvector('english', probe.data_text))) AS w
              WHERE w <> ALL({_DATA_STOP_SQL}) AND length(w) > 2) AS data_words,
        ARRAY(SELECT w FROM unnest(tsvector_to_array(to_tsvector('english', probe.services))) AS w
              WHERE w <> ALL({_DATA_STOP_SQL}) AND length(w) > 2) AS service_words
    FROM probe
), total AS MATERIALIZED (
    SELECT greatest(coalesce(sum(ideas), 0), 1)::float AS ideas FROM ideas_ideatally
), probe_terms AS MATERIALIZED (
    -- The probe's words (title and problem) as stems, each weighted by rarity: log(1 + ideas / postings), nothing
    -- for a word in more than POSTINGS ideas ("council", "residents"), at most POSTINGS + 1 postings read each.
    -- Words of the same meaning (ideas.overlap_words) come in as ``expanded``: found when an idea uses them,
    -- never part of what the probe is measured against.
    SELECT p.term, p.expanded, p.in_title,
           -- Common: in more than the postings read, or (with few ideas) in more than a fifth of them.
           CASE WHEN x.postings <= CASE WHEN p.in_title THEN %(title_postings)s ELSE %(postings)s END
                 AND (x.postings <= 2 OR x.postings * 5 <= total.ideas)
                THEN ln(1 + total.ideas / greatest(x.postings, 1)) ELSE 0 END AS weight
    FROM (
        SELECT t.w AS term, bool_and(t.source = 'e') AS expanded, bool_or(t.source = 't') AS in_title FROM (
            SELECT unnest(tsvector_to_array(to_tsvector('english', %(probe_text)s))) AS w, 't' AS source
            UNION ALL SELECT unnest(tsvector_to_array(to_tsvector('english', %(problem_head)s))), 'p'
            UNION ALL SELECT unnest(tsvector_to_array(to_tsvector('english', %(expanded)s))), 'e'
        ) AS t WHERE length(t.w) BETWEEN 2 AND 40 AND t.w !~ '^[0-9]' GROUP BY t.w
    ) AS p CROSS JOIN total
    CROSS JOIN LATERAL (SELECT count(*) AS postings FROM (
        SELECT 1 FROM ideas_ideaterm t WHERE t.term = p.term
        LIMIT CASE WHEN p.in_title THEN %(title_postings)s ELSE %(postings)s END + 1) AS z) AS x
), rare_text AS MATERIALIZED (
    -- What the title's trigram similarity is measured on: its words that are not common (all when every one is),
    -- so "council residents online" never makes two ideas alike.
    SELECT coalesce(string_agg(term, ' ') FILTER (WHERE in_title AND weight > 0), %(probe_text)s) AS words,
           (SELECT array_agg(term) FROM probe_terms WHERE weight > 0) AS rare_terms,
           greatest(coalesce(sum(weight) FILTER (WHERE NOT expanded), 0), 0.000001) AS weight,
           -- How much of the title rarity can judge: the share of its words that are not common.
           (count(*) FILTER (WHERE in_title AND weight > 0))::float / greatest(count(*) FILTER (WHERE in_title), 1)
               AS judged
    FROM probe_terms
), facet_specificity AS MATERIALIZED (
    -- How telling each of the probe's systems and departments is: 1 for one used by a single idea, falling
    -- with use (log(1 + ideas / uses) / log(1 + ideas)), uses counted up to FACET_COUNT from a B-tree.
    SELECT f.kind, f.id, ln(1 + total.ideas / greatest(f.uses, 1)) / ln(1 + total.ideas) AS specificity
    FROM total CROSS JOIN (
        SELECT 's' AS kind, s.id, (SELECT count(*) FROM (SELECT 1 FROM ideas_ideacentralsystem l
                                   WHERE l.system_id = s.id LIMIT %(facet_count)s) AS z) AS uses
        FROM probe CROSS JOIN unnest(probe.systems) AS s(id)
        UNION ALL
        SELECT 'd', d.id, (SELECT count(*) FROM (SELECT 1 FROM ideas_idea_departments l
                           WHERE l.department_id = d.id LIMIT %(facet_count)s) AS z)
        FROM probe CROSS JOIN unnest(probe.served) AS d(id)
        UNION ALL
        SELECT 'v', d.id, (SELECT count(*) FROM (SELECT 1 FROM ideas_dataoutput_valued_by v
                           WHERE v.department_id = d.id LIMIT %(facet_count)s) AS z)
        FROM probe CROSS JOIN unnest(probe.valued) AS d(id)
    ) AS f
), text_hits AS (
    SELECT unnest((SELECT ideas_similar_candidates(%(title)s, %(candidate_problem)s, %(problem_words)s, %(postings)s,
                                                   %(idea)s, %(text_candidates)s))) AS idea_id
), facet_hits AS (
    SELECT x.idea_id FROM probe CROSS JOIN unnest(probe.systems) AS s(id) CROSS JOIN LATERAL (
        SELECT l.idea_id FROM ideas_ideacentralsystem l WHERE l.system_id = s.id
        ORDER BY l.idea_id DESC LIMIT %(facet_postings)s) AS x
    UNION ALL
    SELECT x.idea_id FROM probe CROSS JOIN unnest(probe.served) AS d(id) CROSS JOIN LATERAL (
        SELECT l.idea_id FROM ideas_idea_departments l WHERE l.department_id = d.id
        ORDER BY l.idea_id DESC LIMIT %(facet_postings)s) AS x
    UNION ALL
    SELECT o.idea_id FROM probe CROSS JOIN unnest(probe.valued) AS d(id) CROSS JOIN LATERAL (
        SELECT v.dataoutput_id FROM ideas_dataoutput_valued_by v WHERE v.department_id = d.id
        ORDER BY v.dataoutput_id DESC LIMIT %(facet_postings)s) AS x
    JOIN ideas_dataoutput o ON o.id = x.dataoutput_id
), facet_best AS (
    SELECT idea_id FROM facet_hits WHERE idea_id <> %(idea)s
    GROUP BY idea_id ORDER BY count(*) DESC, idea_id DESC LIMIT %(facet_candidates)s
), candidates AS (
    SELECT idea_id, bool_or(is_text) AS is_text FROM (
        SELECT idea_id, true AS is_text FROM text_hits UNION ALL SELECT idea_id, false FROM facet_best
    ) AS c GROUP BY idea_id
), facts AS (
    SELECT i.id, i.title, i.stage_id, i.department_id, i.owner_id, i.services, i.created_at,
        -- Trigram word similarity is fuzzy and blind to rarity (a word of the title in 500 ideas counts as much as
        -- one in 5, and "care home" reads as "home care"). Where rarity can judge the title's words, the weighted
        -- share of them the idea holds takes over part of it (up to RARITY_SAY, when it can judge every word); where
        -- it cannot (few ideas, every word common), trigram similarity is all there is. Never below the share.
        greatest(tx.share, tx.words * (1 - %(rarity_say)s * rt.judged) + tx.share * %(rarity_say)s * rt.judged)
            AS text_similarity,
        (SELECT coalesce(sum(fs.specificity), 0) FROM ideas_ideacentralsystem l JOIN facet_specificity fs
         ON fs.kind = 's' AND fs.id = l.system_id WHERE l.idea_id = i.id) AS systems_weight,
        (SELECT coalesce(sum(fs.specificity), 0) FROM ideas_idea_departments l JOIN facet_specificity fs
         ON fs.kind = 'd' AND fs.id = l.department_id WHERE l.idea_id = i.id) AS served_weight,
        (SELECT coalesce(sum(fs.specificity), 0) FROM facet_specificity fs WHERE fs.kind = 'v' AND EXISTS (
            SELECT 1 FROM ideas_dataoutput o JOIN ideas_dataoutput_valued_by v ON v.dataoutput_id = o.id
            WHERE o.idea_id = i.id AND v.department_id = fs.id)) AS valued_weight,
        ARRAY(SELECT s.name FROM ideas_ideacentralsystem l JOIN ideas_centralsystem s ON s.id = l.system_id
              WHERE l.idea_id = i.id AND l.system_id = ANY(probe.systems) ORDER BY s.name) AS systems,
        ARRAY(SELECT d.name FROM ideas_idea_departments l JOIN people_department d ON d.id = l.department_id
              WHERE l.idea_id = i.id AND l.department_id = ANY(probe.served) ORDER BY d.name) AS served,
        ARRAY(SELECT DISTINCT d.name FROM ideas_dataoutput o JOIN ideas_dataoutput_valued_by v ON v.dataoutput_id = o.id
              JOIN people_department d ON d.id = v.department_id
              WHERE o.idea_id = i.id AND v.department_id = ANY(probe.valued)) AS valued,
        (SELECT o.description FROM ideas_dataoutput o
         WHERE o.idea_id = i.id AND tsvector_to_array(to_tsvector('english', o.description)) && pw.data_words
         ORDER BY cardinality(ARRAY(SELECT unnest(tsvector_to_array(to_tsvector('english', o.description)))
                                    INTERSECT SELECT unnest(pw.data_words))) DESC, o.id
         LIMIT 1) AS data_description,
        CASE WHEN cardinality(pw.data_words) = 0 THEN 0 ELSE (
            SELECT count(DISTINCT w)::float / cardinality(pw.data_words) FROM ideas_dataoutput o
            CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector('english', o.description))) AS w
            WHERE o.idea_id = i.id AND w = ANY(pw.data_words)) END AS data_words_share,
        CASE WHEN cardinality(pw.service_words) = 0 OR i.services = '' THEN 0 ELSE (
            SELECT count(DISTINCT w)::float / cardinality(pw.service_words)
            FROM unnest(tsvector_to_array(to_tsvector('english', i.services))) AS w
            WHERE w = ANY(pw.service_words)) END AS services_share,
        cardinality(probe.systems) AS probe_systems, cardinality(probe.served) AS probe_served,
        cardinality(probe.valued) AS probe_valued,
        (i.owner_id = %(user)s OR EXISTS (SELECT 1 FROM ideas_idea_co_owners co
                                          WHERE co.idea_id = i.id AND co.user_id = %(user)s)) AS is_mine
    FROM candidates c JOIN ideas_idea i ON i.id = c.idea_id CROSS JOIN probe CROSS JOIN probe_words pw CROSS JOIN rare_text rt
    CROSS JOIN LATERAL (
        SELECT CASE WHEN c.is_text THEN word_similarity(rt.words, i.search_text) ELSE 0 END AS words,
               least(1, (SELECT coalesce(sum(pt.weight), 0) FROM probe_terms pt
                         WHERE pt.weight > 0 AND pt.term = ANY(tsvector_to_array(i.search_vector))) / rt.weight) AS share
        OFFSET 0  -- kept a subquery, so each is computed once although text_similarity reads the share twice
    ) AS tx
    WHERE i.id <> %(idea)s
      AND i.stage_id NOT IN (SELECT st.id FROM ideas_stage st WHERE st.kind = %(draft)s)
      AND ({{visible}})
), scored AS (
    SELECT f.*,
        %(w_text)s * f.text_similarity
        + %(w_systems)s * (CASE WHEN f.probe_systems = 0 THEN 0 ELSE f.systems_weight / f.probe_systems END)
        + %(w_data)s * greatest(CASE WHEN f.probe_valued = 0 THEN 0 ELSE f.valued_weight / f.probe_valued END,
                                f.data_words_share)
        + %(w_area)s * greatest(CASE WHEN f.probe_served = 0 THEN 0 ELSE f.served_weight / f.probe_served END,
                                f.services_share) AS score
    FROM facts f
)
SELECT b.id, b.title, st.name, coalesce(d.name, ''), u.full_name, u.email, coalesce(ud.name, ''), b.is_mine,
       b.score, b.text_similarity, b.systems, b.valued, coalesce(b.data_description, ''), b.served, b.services,
       (SELECT data_text FROM probe)
FROM scored b
JOIN ideas_stage st ON st.id = b.stage_id
JOIN people_user u ON u.id = b.owner_id
LEFT JOIN people_department d ON d.id = b.department_id
LEFT JOIN people_department ud ON ud.id = u.department_id
WHERE b.score >= %(min_score)s
ORDER BY b.score DESC, b.id DESC
LIMIT %(limit)s
"""  # noqa: S608


def find_on_postgresql(*, user, probe: Probe, limit: int) -> tuple[list[Overlap], str]:
    """The best ``limit`` overlaps, and the probe's data text (for naming shared data words)."""
    visible, visible_params = permissions.visible_sql(user, alias="i")
    title, problem = probe.title, probe.problem
    expanded = overlap_words.expansions(f"{title} {problem}")
    params = {
        "systems": list(probe.system_ids),
        "served": list(probe.department_ids),
        "valued": list(probe.data_department_ids),
        "idea": probe.idea_id or 0,
        "data_text": probe.data_text,
        "services": probe.services,
        "data_stop": " ".join(sorted(tuning.DATA_STOP)),
        "title": title,
        "problem": problem,
        "expanded": expanded,
        "candidate_problem": f"{expanded} {problem}",
        "problem_words": tuning.PROBLEM_WORDS + len(expanded.split()),
        "problem_head": problem[: tuning.PROBLEM_HEAD_CHARS],
        "facet_count": tuning.FACET_COUNT,
        "postings": similarity.POSTINGS,
        "title_postings": tuning.TITLE_POSTINGS,
        "text_candidates": tuning.TEXT_CANDIDATES,
        "facet_postings": tuning.FACET_POSTINGS,
        "facet_candidates": tuning.FACET_CANDIDATES,
        "probe_text": similarity.probe_text(title, problem),
        "user": user.pk,
        "draft": StageKind.DRAFT.value,
        "w_text": tuning.WEIGHTS["text"],
        "w_systems": tuning.WEIGHTS["systems"],
        "w_data": tuning.WEIGHTS["data"],
        "w_area": tuning.WEIGHTS["area"],
        "min_score": tuning.MIN_SCORE,
        "rarity_say": tuning.RARITY_SAY,
        "limit": limit,
    }
    # The visibility rule is written with %s placeholders; name them for this query's dict of parameters.
    for number, value in enumerate(visible_params):
        params[f"visible_{number}"] = value
    names = iter(f"%(visible_{n})s" for n in range(len(visible_params)))
    visible_named = "".join(next(names) if part == "%s" else part for part in _split_placeholders(visible))
    sql = OVERLAPS_SQL.replace("{visible}", visible_named)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    found = [
        Overlap(
            idea_id=row[0],
            title=row[1],
            stage_name=row[2],
            department_name=row[3],
            owner_name=row[4],
            owner_email=row[5],
            owner_department=row[6],
            is_mine=row[7],
            score=round(float(row[8]), 3),
            text_similarity=float(row[9]),
            systems=list(row[10]),
            data_valued_by=sorted(row[11]),
            data_description=row[12],
            departments_served=list(row[13]),
            services=row[14],
        )
        for row in rows
    ]
    probe_data = rows[0][15] if rows else ""
    return found, probe_data


def _split_placeholders(sql: str) -> list[str]:
    parts = sql.split("%s")
    out: list[str] = []
    for number, part in enumerate(parts):
        if number:
            out.append("%s")
        out.append(part)
    return out
