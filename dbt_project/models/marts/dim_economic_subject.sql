-- 支出经济分类科目, both schemes: 部门预算支出经济分类 (301 → 30101) and 政府预算支出经济分类
-- (505 → 50501). One row per (scheme, code), with the name most documents print, every
-- printed name, and for department codes the government codes printed beside them.
with names as (
    select * from {{ ref('int_subject_names_by_year') }}
    where code_scheme in ('economic', 'gov_economic')
),
by_name as (
    select code_scheme, code, code_name, sum(documents) as documents, max(fiscal_year) as last_year
    from names group by all
),
mapping as (
    select economic_code, list(distinct gov_economic_code order by gov_economic_code) as gov_codes
    from {{ ref('stg_landing__rows') }}
    where economic_code is not null and gov_economic_code is not null
    group by economic_code
)
select
    case b.code_scheme when 'economic' then '部门' else '政府' end as economic_scheme,
    b.code as economic_code,
    -- the name most documents print; ties: the latest year, then the name (two builds agree)
    first(b.code_name order by b.documents desc, b.last_year desc, b.code_name)
        filter (where b.code_name is not null) as economic_name,
    list(b.code_name order by b.documents desc, b.code_name) filter (where b.code_name is not null) as printed_names,
    count(b.code_name) > 1 as has_name_conflict,
    case length(b.code) when 3 then '类' when 5 then '款' end as economic_level,
    case when length(b.code) = 5 then left(b.code, 3) end as parent_economic_code,
    max(m.gov_codes) as mapped_gov_economic_codes
from by_name as b
left join mapping as m on b.code_scheme = 'economic' and m.economic_code = b.code
group by b.code_scheme, b.code
