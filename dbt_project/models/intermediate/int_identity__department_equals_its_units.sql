-- A department's consolidated 本年收入合计 equals the sum of its units' documents of the same
-- year and kind, where all of them are in the warehouse. The units are those its 单位构成
-- table lists (its own office appears as '…（本级）'); a unit document is matched by name,
-- and a 单位/本级 document of the department's own name is its office. Where units are
-- missing the application is not applicable and names them; where the department prints no
-- unit list, it is not applicable and says which unit documents are present.
{{ by_year() }}
with documents as (
    select * from {{ ref('dim_document') }} where is_current and {{ when_incremental(year_documents('document_id')) }}
),
normalised as (
    select *, regexp_replace(regexp_replace(issuer_name, '[（(][^）)]*[）)]', '', 'g'), '\s', '', 'g') as name_key
    from documents
),
unit_lists as (
    -- the 单位名称 column of each 单位构成 table, below its header
    select c.document_id,
           regexp_replace(regexp_replace(c.cell_text, '[（(][^）)]*[）)]', '', 'g'), '\s', '', 'g') as unit_key,
           c.cell_text as unit_name
    from {{ ref('stg_landing__cells') }} as c
    join {{ ref('stg_landing__tables') }} as t using (table_id)
    join {{ ref('stg_landing__cells') }} as h
      on h.table_id = c.table_id and h.column_index = c.column_index and h.row_index = 0
     and h.cell_text = '单位名称'
    where t.template_id = 'unit_composition' and c.row_index > 0
      and {{ when_incremental(year_documents('c.document_id')) }}
),
totals as (
    -- the first value column's 本年收入合计, else its 收入合计 (a 收支总表 may print both)
    select document_id, sum(amount) as amount, max(published_decimals) as decimals,
           max({{ unit_multiplier('amount_unit') }}) as multiplier,
           list(value_id) as value_ids, list(source_address) as addresses
    from (
        select *, case line_item when '本年收入合计' then 1 else 2 end as preference
        from {{ ref('int_amounts_located') }}
        where value_kind = 'amount' and group_index = 0
          and template_id in ('final_01_income_expenditure_summary', 'budget_income_expenditure_summary')
          and line_item in ('本年收入合计', '收入合计')
          and {{ when_incremental(year_documents('document_id')) }}
          and column_index = (select min(column_index) from {{ ref('int_amounts_located') }} x
                              where x.table_id = int_amounts_located.table_id and x.group_index = 0
                                and x.value_kind = 'amount')
        qualify preference = min(preference) over (partition by document_id)
    )
    group by document_id
),
departments as (
    select * from normalised where document_scope = '部门'
),
listed as (
    select d.document_id as department_id, u.unit_key, u.unit_name, n.document_id as unit_document_id
    from departments as d
    join unit_lists as u on u.document_id = d.document_id
    left join normalised as n
      on n.document_scope in ('单位', '本级') and n.fiscal_year = d.fiscal_year
     and n.document_kind = d.document_kind
     and (n.name_key = u.unit_key)
),
unlisted as (
    -- no unit list: the unit documents of the department's own name are all we can match
    select d.document_id as department_id, d.name_key as unit_key, n.issuer_name as unit_name,
           n.document_id as unit_document_id
    from departments as d
    join normalised as n
      on n.document_scope in ('单位', '本级') and n.fiscal_year = d.fiscal_year
     and n.document_kind = d.document_kind and n.name_key = d.name_key
    where d.document_id not in (select document_id from unit_lists)
),
units as (
    select *, true as is_listed from listed
    union all
    select *, false from unlisted
),
summary as (
    select
        department_id,
        bool_or(is_listed) as has_list,
        list(unit_name order by unit_name) filter (where unit_document_id is null) as missing,
        list(unit_name order by unit_name) filter (where unit_document_id is not null) as present,
        list(unit_document_id) filter (where unit_document_id is not null) as unit_documents
    from units
    group by department_id
),
unit_totals as (
    select s.department_id, sum(t.amount) as amount, count(*) as n_units,
           max(t.decimals) as decimals, max(t.multiplier) as multiplier,
           flatten(list(t.value_ids)) as value_ids, flatten(list(t.addresses)) as addresses
    from summary as s, unnest(s.unit_documents) as u(unit_document_id)
    join totals as t on t.document_id = u.unit_document_id
    group by s.department_id
)
select
    'department_equals_its_units' as identity_id,
    s.department_id as document_id,
    null::varchar as table_id,
    d.issuer_name || ' ' || d.fiscal_year || ' 本年收入合计 = Σ units'
        || case
            when not s.has_list then ' (no 单位构成 printed; present: ' || coalesce(array_to_string(s.present, '、'), 'none') || ')'
            when len(coalesce(s.missing, [])) > 0 then ' (missing: ' || array_to_string(s.missing, '、') || ')'
            else ''
        end as location,
    t.amount as left_amount,
    ut.amount as right_amount,
    coalesce(ut.n_units, 1) as n_parts,
    {{ rounding_tolerance('coalesce(ut.n_units, 1)', 'greatest(coalesce(t.decimals, 0), coalesce(ut.decimals, 0))', 'greatest(coalesce(t.multiplier, 1), coalesce(ut.multiplier, 1))') }} as tolerance,
    list_concat(coalesce(t.value_ids, []), coalesce(ut.value_ids, [])) as source_value_ids,
    list_concat(coalesce(t.addresses, []), coalesce(ut.addresses, [])) as source_addresses,
    case when not s.has_list or len(coalesce(s.missing, [])) > 0 then 'not_applicable' end as given_outcome
from summary as s
join documents as d on d.document_id = s.department_id
join totals as t on t.document_id = s.department_id  -- no printed total, nothing to compare
left join unit_totals as ut on ut.department_id = s.department_id
