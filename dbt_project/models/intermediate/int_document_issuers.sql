-- The issuer behind each document: its printed name, the key that identifies it across
-- documents (landed by the ingest, `ingest.recognise.issuer_key`: spacing, bracket width and
-- the scope suffix （本级） removed), and where it sits,
-- inferred from the name: province, prefecture and county as the name prints them, completed
-- and levelled by the `regions` reference seed (岚县 lies in 吕梁市, 山西省; 临夏市 is a
-- county-level city). The name is read left to right: a province name (or its short form),
-- then a name ending in 市/州/盟/地区, then one ending in 区/县/旗. One row per document.
with documents as (
    select document_id, issuer_name, issuer_key from {{ ref('stg_landing__documents') }}
),
regions as (
    select
        region_name,
        admin_level,
        parent_region,
        regexp_replace(region_name, '(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$', '') as short_name
    from {{ ref('regions') }}
),
named as (
    select
        document_id,
        issuer_name,
        coalesce(issuer_key, '') as normalised_name  -- ingest.recognise.issuer_key
    from documents
),
with_province as (
    select
        n.*,
        p.region_name as printed_province,
        case
            when p.region_name is null then regexp_replace(n.normalised_name, '^中共', '')
            when starts_with(regexp_replace(n.normalised_name, '^中共', ''), p.region_name)
                then substr(regexp_replace(n.normalised_name, '^中共', ''), length(p.region_name) + 1)
            else substr(regexp_replace(n.normalised_name, '^中共', ''), length(p.short_name) + 1)
        end as after_province
    from named as n
    left join regions as p
        on p.admin_level = '省级'
        and starts_with(regexp_replace(n.normalised_name, '^中共', ''), p.short_name)
),
with_prefecture as (
    select
        *,
        nullif(regexp_extract(after_province, '^(\p{Han}{2,6}?(市|自治州|州|盟|地区))', 1), '') as printed_prefecture
    from with_province
),
with_county as (
    select
        *,
        nullif(regexp_extract(
            substr(after_province, coalesce(length(printed_prefecture), 0) + 1),
            '^(\p{Han}{1,6}?(区|县|旗))', 1
        ), '') as printed_county
    from with_prefecture
),
levelled as (
    -- a name ending in 市 can be a county-level city: the reference seed says which
    select
        c.*,
        case when pr.admin_level = '县级' then c.printed_prefecture else c.printed_county end as county_name,
        case when pr.admin_level = '县级' then pr.parent_region else c.printed_prefecture end as prefecture_name
    from with_county as c
    left join regions as pr on pr.region_name = c.printed_prefecture
)
select
    l.document_id,
    l.issuer_name,
    l.normalised_name as issuer_normalised_name,
    md5(l.normalised_name) as issuer_id,
    coalesce(l.printed_province, pf.parent_region, ct_parent.parent_region,
             case when ct_parent.admin_level = '省级' then ct_parent.region_name end) as province_name,
    coalesce(l.prefecture_name, case when ct_parent.admin_level = '市级' then ct_parent.region_name end)
        as prefecture_name,
    l.county_name,
    case
        when l.county_name is not null then '县级'
        when l.prefecture_name is not null then '市级'
        when l.printed_province is not null then '省级'
    end as admin_level
from levelled as l
left join regions as ct on ct.region_name = l.county_name and ct.admin_level = '县级'
left join regions as ct_parent on ct_parent.region_name = ct.parent_region
left join regions as pf on pf.region_name = l.prefecture_name and pf.admin_level = '市级'
