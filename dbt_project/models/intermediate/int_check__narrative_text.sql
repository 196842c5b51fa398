-- Checks on the words of a publication, needing no table: its narrative sentences (those
-- carrying a figure, as landed with the claims) and its table titles.
--   narrative_year_of_comparison: a 预算 of year Y compares with a year not before Y ('2026年
--     预算…比2026年预算增加793.14万元'; last year's text left in);
--   narrative_year_of_date: '截至YYYY年' in a 预算 of year Y with YYYY > Y or < Y − 1, or '截至YYYY年12月31日'
--     in a 决算 of year Y with YYYY ≠ Y;
--   table_title_year: a table title printing a year other than the fiscal year;
--   placeholder_left_in: a template placeholder (XX局, ××, 【单位名称】) left in a sentence, a title,
--     the name a table prints in its title block, the cover's name or a cell;
--   unit_calls_itself_department: a 单位 publication whose text calls it 部门预算/部门决算 (the
--     classification's name '部门预算经济分类' aside).
{{ by_document() }}
with documents as (
    select document_id, fiscal_year, document_kind, document_scope, source_file
    from {{ touched_rows_of('stg_landing__documents') }}
),
sentences as (
    select document_id, sentence_index, min(sentence) as text, min(page_number) as page_number,
           min(line_number_in_file) as line_number, min(claim_id) as source_id
    from {{ touched_rows_of('stg_landing__claims') }}
    group by document_id, sentence_index
),
titles as (
    select document_id, table_ordinal as sentence_index, printed_title as text, first_page as page_number,
           first_line as line_number, table_id as source_id
    from {{ touched_rows_of('stg_landing__tables') }}
    where printed_title is not null
),
-- where else a placeholder may be left: the name a table prints in its title block, the cover's
-- name, and any printed cell
issuer_lines as (
    select document_id, table_ordinal as sentence_index, printed_issuer as text, first_page as page_number,
           first_line as line_number, table_id as source_id
    from {{ touched_rows_of('stg_landing__tables') }}
    where printed_issuer is not null
),
covers as (
    select document_id, -1 as sentence_index, issuer_name as text, 1 as page_number,
           null::integer as line_number, document_id as source_id
    from {{ touched_rows_of('stg_landing__documents') }}
    where issuer_name is not null
),
cells_ as (
    select document_id, row_index as sentence_index, cell_text as text, page_number,
           line_number_in_file as line_number,
           table_id || '-r' || row_index || 'c' || column_index as source_id
    from {{ touched_rows_of('stg_landing__cells') }}
    where regexp_matches(cell_text, '(XX|××|ＸＸ|【单位名称】|（单位名称）|\(单位名称\))')
),
texts as (
    select *, 'sentence' as text_kind from sentences
    union all
    select *, 'title' as text_kind from titles
    union all
    select *, 'issuer' as text_kind from issuer_lines
    union all
    select *, 'cover' as text_kind from covers
    union all
    select *, 'cell' as text_kind from cells_
),
years as (
    select t.*, d.fiscal_year, d.document_kind, d.document_scope, d.source_file, y.kind as year_kind, y.year
    from texts as t
    join documents as d using (document_id)
    cross join lateral (
        select 'comparison' as kind, cast(unnest(regexp_extract_all(t.text, '(?:比|较|与)\s*([0-9]{4})\s*年', 1)) as integer) as year
        union all
        select 'date', cast(unnest(regexp_extract_all(t.text, '截至\s*([0-9]{4})\s*年', 1)) as integer)
        union all
        select 'year_end', cast(unnest(regexp_extract_all(t.text, '截至\s*([0-9]{4})\s*年\s*12\s*月\s*31\s*日', 1)) as integer)
        union all
        select 'title', cast(unnest(regexp_extract_all(t.text, '([0-9]{4})\s*年', 1)) as integer)
    ) as y
),
year_findings as (
    select
        case year_kind when 'comparison' then 'narrative_year_of_comparison'
                       when 'title' then 'table_title_year'
                       else 'narrative_year_of_date' end as check_id,
        document_id, page_number, line_number, source_id, source_file, text,
        year as found, case when year_kind = 'comparison' then fiscal_year - 1 else fiscal_year end as expected
    from years
    where (year_kind = 'comparison' and text_kind = 'sentence' and document_kind = '预算' and year >= fiscal_year)
       -- a budget is published early in its year: a date in that year is possible ('截至2026年1月31日
       -- 本部门固定资产…'), one after it or two years before is another year's text
       or (year_kind = 'date' and text_kind = 'sentence' and document_kind = '预算'
           and (year > fiscal_year or year < fiscal_year - 1))
       or (year_kind = 'year_end' and text_kind = 'sentence' and document_kind = '决算' and year <> fiscal_year)
       or (year_kind = 'title' and text_kind = 'title' and year <> fiscal_year)
),
word_findings as (
    select
        case when regexp_matches(t.text, '(XX|××|ＸＸ|【单位名称】|（单位名称）|\(单位名称\))') then 'placeholder_left_in'
             else 'unit_calls_itself_department' end as check_id,
        t.document_id, t.page_number, t.line_number, t.source_id, d.source_file, t.text,
        null::integer as found, null::integer as expected
    from texts as t
    join documents as d using (document_id)
    where regexp_matches(t.text, '(XX|××|ＸＸ|【单位名称】|（单位名称）|\(单位名称\))')
       or (d.document_scope = '单位' and t.text_kind = 'sentence'
           and regexp_matches(regexp_replace(t.text, '部门预算(支出)?经济分类', '', 'g'), '部门(预算|决算)'))
)
select distinct * from year_findings
union all
select distinct * from word_findings
