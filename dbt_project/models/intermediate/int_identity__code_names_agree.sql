-- One code, one name, within a year: a document that prints a function or economic code
-- under a name the other documents of that year do not use for it (30301 基本工资 where the
-- others print 30301 离休费) is reported; the names are compared, not amounts. One row per
-- (document, scheme, code) where the documents of the year disagree. Names come from every
-- row that prints a code, with or without amounts (30301 离休费 is often an empty row).
{{ by_year() }}
with rows_ as (
    select r.*, d.fiscal_year, d.source_file
    from {{ ref('stg_landing__rows') }} as r
    join {{ ref('stg_landing__documents') }} as d using (document_id)
    where coalesce(r.function_code, r.economic_code) is not null and r.line_item is not null
      and {{ when_incremental(year_documents('r.document_id')) }}
),
named as (
    select distinct
        document_id, fiscal_year,
        case when function_code is not null then 'function' else 'economic' end as code_scheme,
        coalesce(function_code, economic_code) as code,
        -- names are compared as words: bracket width, spacing and the particle 的 are not a
        -- different name (对个人和家庭补助 is 对个人和家庭的补助)
        regexp_replace(replace(replace(line_item, '（', '('), '）', ')'), '[\s的]', '', 'g') as code_name,
        first(row_id order by row_id) over (
            partition by document_id, coalesce(function_code, economic_code), line_item) as row_id,
        first(source_file || ' · ' || coalesce('p.' || page_number, 'line ' || line_number_in_file)
              order by row_id) over (
            partition by document_id, coalesce(function_code, economic_code), line_item) as source_address
    from rows_
),
usage as (
    select fiscal_year, code_scheme, code, code_name, count(distinct document_id) as documents
    from named group by all
),
disputed as (
    select fiscal_year, code_scheme, code,
           -- ties: the name itself, so two builds agree on which name is the usual one
           first(code_name order by documents desc, code_name) as usual_name,
           max(documents) as usual_documents
    from usage group by all
    having count(*) > 1
),
disputed_or_agreed as (
    -- every code's usual name in the year (the most documents'), disputed or not
    select fiscal_year, code_scheme, code,
           first(code_name order by documents desc, code_name) as usual_name
    from usage group by all
)
select
    'code_names_agree' as identity_id,
    n.document_id,
    null::varchar as table_id,
    n.code || ' ' || n.code_name || ' (' || n.fiscal_year || '; elsewhere: '
        || (select string_agg(u.code_name || ' ×' || u.documents, ', ' order by u.documents desc)
            from usage u where u.fiscal_year = n.fiscal_year and u.code = n.code
              and u.code_scheme = n.code_scheme and u.code_name <> n.code_name) || ')'
        -- the code probably meant: another code of the scheme whose usual name is this name
        -- (003's 30301 基本工资, where the others print 30101 基本工资)
        || coalesce('; probably ' || (select string_agg(o.code, ', ' order by o.code) from disputed_or_agreed o
                    where o.fiscal_year = n.fiscal_year and o.code_scheme = n.code_scheme
                      and o.code <> n.code and o.usual_name = n.code_name), '') as location,
    null::decimal(18, 2) as left_amount,
    null::decimal(18, 2) as right_amount,
    1 as n_parts,
    0::decimal(18, 4) as tolerance,
    [n.row_id] as source_value_ids,
    [n.source_address] as source_addresses,
    case
        when n.code_name = d.usual_name and (select count(*) from usage u where u.fiscal_year = n.fiscal_year
             and u.code = n.code and u.code_scheme = n.code_scheme and u.documents = d.usual_documents) = 1
            then 'holds_exactly'
        else 'violated'
    end as given_outcome
from named as n
join disputed as d using (fiscal_year, code_scheme, code)
