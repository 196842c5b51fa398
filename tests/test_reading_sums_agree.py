"""The two within-table sums stand twice on purpose (DECISIONLOG: the ingest judges a reading
before it lands, the warehouse records every application): in Python
(ingest/interpret/reading_check.py) and in SQL (int_identity__children_sum_to_parent,
int_identity__total_column_equals_components). This holds them to the same result, table by
table, so neither drifts from the other unseen."""

from __future__ import annotations

import pytest

WITHIN_TABLE = ("children_sum_to_parent", "total_column_equals_components")

DISAGREEMENTS = f"""
with warehouse as (
    select table_id,
           count(*) filter (where outcome in ('holds_exactly', 'holds_within_rounding')) as held,
           count(*) filter (where outcome = 'violated') as failed
    from identity_results
    where identity_id in {WITHIN_TABLE} and table_id is not null
    group by table_id
)
select t.table_id, t.template_id, t.reading_status,
       t.reading_identities_held, coalesce(w.held, 0),
       t.reading_identities_failed, coalesce(w.failed, 0)
from dim_table t
join dim_document d using (document_id)
left join warehouse w using (table_id)
where d.is_current  -- identities apply to a document's current version only
  and (coalesce(t.reading_identities_held, 0) <> coalesce(w.held, 0)
       or coalesce(t.reading_identities_failed, 0) <> coalesce(w.failed, 0))
order by t.table_id
"""

APPLIED = f"""
select count(*) from identity_results
where identity_id in {WITHIN_TABLE} and outcome <> 'not_applicable' and table_id is not null
"""


@pytest.mark.parametrize("warehouse", ["con", "corpus_con"])
def test_reader_and_warehouse_count_the_same_sums(warehouse, request):
    con = request.getfixturevalue(warehouse)
    assert con.execute(APPLIED).fetchone()[0] > 0, "no within-table sum applied: nothing compared"
    disagreements = con.execute(DISAGREEMENTS).fetchall()
    assert disagreements == [], (
        "(table, template, status, reader held, warehouse held, reader failed, warehouse failed): "
        f"{disagreements[:10]}"
    )
