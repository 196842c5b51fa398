-- Every part of the text a publication of its kind must print (seed required_sections: the
-- unit's functions, its organisation, the glossary, the explanation of the tables), per current
-- document: present or missing. Which parts a document prints is read off its headings and
-- table of contents by the ingest (ingest/interpret/sections.py, stg_landing__documents.
-- printed_sections). A publication split into files (narrative apart from tables) is one
-- publication: the parts any document of the same issuer, year, kind and scope prints count.
-- Only a publication with a narrative is checked: a file of tables alone (江苏's '…预算公开表',
-- whose text is published as a file of its own) or of performance forms alone (广州's 绩效目标表)
-- is the annex of a text the collection may not hold, not a publication without one.
{{ by_issuer() }}
with documents as (
    select d.document_id, d.fiscal_year, d.document_kind, d.document_scope, d.source_file,
           d.printed_sections, i.issuer_id
    from {{ affected_rows_of('stg_landing__documents') }} as d
    join {{ affected_rows_of('int_document_issuers') }} as i using (document_id)
),
publications as (
    select d.issuer_id, d.fiscal_year, d.document_kind, d.document_scope,
           list_distinct(flatten(list(string_split(coalesce(d.printed_sections, ''), ';')))) as printed
    from documents as d
    group by all
    having bool_or(d.document_id in (select document_id from {{ affected_rows_of('stg_landing__claims') }}))
)
select
    d.document_id,
    r.section_id,
    r.section_name_zh,
    case when list_contains(p.printed, r.section_id) then 'present' else 'missing' end as section_status,
    d.source_file
from documents as d
join publications as p
  on p.issuer_id = d.issuer_id and p.fiscal_year = d.fiscal_year and p.document_kind = d.document_kind
 and p.document_scope is not distinct from d.document_scope
join {{ ref('required_sections') }} as r on r.document_kind = d.document_kind
