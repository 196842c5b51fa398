-- The narrative's name for a 功能分类 code against the table's: '医疗卫生与计划生育支出（210类）'
-- where the document's tables print 210 as 卫生健康支出. Each link of a '…（204类）…（06款）…（01项）'
-- chain the narrative prints with its code is compared, by name (spacing and brackets aside),
-- with the name the same document's tables give the code (the code is the chain's codes joined:
-- 204 + 06 + 01 = 2040601). Two identities on names: narrative_class_former_name when the
-- narrative's name is the code's name before a revision of the classification (seed
-- function_class_former_names), narrative_class_name_agrees otherwise. Not applicable where the
-- tables print no row for the code.
{{ by_document() }}
with chains as (
    select
        c.claim_id, c.document_id, c.narrative_section, c.subject, c.page_number, c.line_number_in_file,
        regexp_extract_all(c.subject, '([^()（）]+?)[（(]([0-9]+)(类|款|项)[)）]', 1) as names,
        regexp_extract_all(c.subject, '([^()（）]+?)[（(]([0-9]+)(类|款|项)[)）]', 2) as codes,
        regexp_extract_all(c.subject, '([^()（）]+?)[（(]([0-9]+)(类|款|项)[)）]', 3) as levels
    from {{ touched_rows_of('stg_landing__claims') }} as c
    where regexp_matches(c.subject, '[（(][0-9]+(类|款|项)[)）]')
    qualify row_number() over (partition by c.document_id, c.subject order by c.sentence_index, c.claim_index) = 1
),
links as (
    select
        *,
        regexp_replace(names[i], '^[\s，,：:、;；]+|[\s()（）]', '', 'g') as narrative_name,
        array_to_string(list_slice(codes, 1, i), '') as function_code,
        levels[i] as level
    from (select *, unnest(range(1, len(codes) + 1)) as i from chains)
),
table_names as (
    select document_id, function_code,
           min(regexp_replace(line_item, '[\s()（）]', '', 'g')) as table_name,
           min(row_id) as row_id,
           min(template_id || ' · ' || coalesce('p.' || page_number, 'line ' || line_number_in_file)
               || ' · row ' || row_index) as source_address
    from {{ touched_rows_of('stg_landing__rows') }}
    where function_code is not null and line_item is not null
    group by document_id, function_code
),
former as (
    select cast(function_code as varchar) as function_code, former_name from {{ ref('function_class_former_names') }}
),
compared as (
    select
        l.*, t.table_name, t.row_id, t.source_address,
        f.former_name is not null as is_former
    from links as l
    left join table_names as t
      on t.document_id = l.document_id and t.function_code = l.function_code
    left join former as f
      on f.function_code = l.function_code and f.former_name = l.narrative_name
    where length(l.function_code) = case l.level when '类' then 3 when '款' then 5 else 7 end
),
documents as (
    select document_id, source_file from {{ touched_rows_of('stg_landing__documents') }}
)
select
    case when c.is_former then 'narrative_class_former_name' else 'narrative_class_name_agrees' end as identity_id,
    c.document_id,
    null::varchar as table_id,
    coalesce(c.narrative_section || ': ', '') || c.function_code || ' ' || c.narrative_name
        || coalesce(' against ' || c.table_name, '') as location,
    null::decimal(18, 2) as left_amount,
    null::decimal(18, 2) as right_amount,
    1 as n_parts,
    null::decimal(18, 4) as tolerance,
    case when c.table_name is null then 'not_applicable'
         when c.table_name = c.narrative_name then 'holds_exactly'
         else 'violated' end as given_outcome,
    list_filter([c.claim_id, c.row_id], lambda x: x is not null) as source_value_ids,
    list_filter([d.source_file || ' · ' || coalesce('p.' || c.page_number, 'line ' || c.line_number_in_file),
                 c.source_address], lambda x: x is not null) as source_addresses
from compared as c
join documents as d using (document_id)
