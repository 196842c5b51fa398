-- issuer_name_agrees: the issuer's name a table prints in its title block (部门名称 / 单位名称
-- line, or a caption code-name, landed as printed_issuer) against the document's issuer (its
-- cover's). Names are compared after the spellings that name one issuer are set aside (spaces,
-- bracket width, the scope suffix 本级, a party office's 中共). A department's document may print
-- its units' own tables: a name the document also prints in a table cell (its 单位构成 list, a
-- unit's row) or as a narrative section heading is one of its units, not a finding. A placeholder
-- (XX局) is placeholder_left_in's, not this rule's. One row per table whose name differs.
{{ by_document() }}
with documents as (
    select document_id, issuer_name, source_file from {{ touched_rows_of('stg_landing__documents') }}
),
tables_ as (
    select table_id, document_id, first_page, first_line, printed_title, printed_issuer
    from {{ touched_rows_of('stg_landing__tables') }}
    where printed_issuer is not null
      and not regexp_matches(printed_issuer, '(XX|××|ＸＸ|单位名称)')
),
keyed as (
    select t.*, d.issuer_name, d.source_file,
           {{ issuer_name_key('t.printed_issuer') }} as printed_key,
           {{ issuer_name_key('d.issuer_name') }} as issuer_key
    from tables_ as t
    join documents as d using (document_id)
    where d.issuer_name is not null
),
-- every name a document prints elsewhere: its cells and its narrative's section headings
elsewhere as (
    select document_id, {{ issuer_name_key('cell_text') }} as name_key
    from {{ touched_rows_of('stg_landing__cells') }}
    union
    select document_id, {{ issuer_name_key("regexp_replace(narrative_section, '^[一二三四五六七八九十（）()0-9、.．\\s]+', '')") }}
    from {{ touched_rows_of('stg_landing__claims') }}
    where narrative_section is not null
)
select
    'issuer_name_agrees' as check_id,
    k.document_id,
    k.table_id,
    k.first_page as page_number,
    k.first_line as line_number,
    k.source_file,
    k.printed_title,
    k.printed_issuer,
    k.issuer_name
from keyed as k
where k.printed_key <> k.issuer_key
  -- a name wrapped or cut in the title block ('部门名称：江苏省人大' over two lines)
  and not starts_with(k.issuer_key, k.printed_key)
  and not exists (
      select 1 from elsewhere as e
      where e.document_id = k.document_id and e.name_key = k.printed_key
  )
