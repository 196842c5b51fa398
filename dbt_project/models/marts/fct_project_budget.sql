-- 项目支出表: the budget of each project by funding source, as the project lists print it.
-- One row per published amount (value_id).
with projects as (
    select project_id, table_id, row_index from {{ ref('int_projects') }} where row_index is not null
)
select p.project_id, f.*
from ({{ subject_fact('project_budget', ['m.table_id', 'm.line_item', 'm.funding_source']) }}) as f
join projects as p using (table_id, row_index)
