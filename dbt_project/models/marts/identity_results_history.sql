-- Every application of every identity, superseded document versions included; identity_results
-- is the current documents' slice of it.
-- One row per application of an accounting identity: both sides, the difference, the
-- rounding tolerance, the outcome and the source addresses of every value involved.
-- A violation is a finding about the publication, never a reason to change its numbers.
-- Incremental: a build after a change recomputes the applications of the documents it
-- touched (macros/incremental.sql, recomputed_applications).
{{ by_application() }}
with applications as (
    select * from {{ ref('int_identity__children_sum_to_parent') }}
    union all by name
    select * from {{ ref('int_identity__total_column_equals_components') }}
    union all by name
    select * from {{ ref('int_identity__summary_totals_balance') }}
    union all by name
    select * from {{ ref('int_identity__summary_lines_add_up') }}
    union all by name
    select * from {{ ref('int_identity__cross_table_ties') }}
    union all by name
    select * from {{ ref('int_identity__summary_classes_equal_expenditure_table') }}
    union all by name
    select * from {{ ref('int_identity__carry_over_between_years') }}
    union all by name
    select * from {{ ref('int_identity__code_names_agree') }}
    union all by name
    select * from {{ ref('int_identity__department_equals_its_units') }}
    union all by name
    select * from {{ ref('int_identity__performance_balance') }}
    union all by name
    select * from {{ ref('int_identity__performance_execution_rate') }}
    union all by name
    select * from {{ ref('int_identity__performance_scores_add_up') }}
    union all by name
    select * from {{ ref('int_identity__narrative_equals_table') }}
    union all by name
    select * from {{ ref('int_identity__narrative_share') }}
    union all by name
    select * from {{ ref('int_identity__narrative_change_against_last_year') }}
    union all by name
    select * from {{ ref('int_identity__final_budget_equals_budget_document') }}
    union all by name
    select * from {{ ref('int_identity__narrative_change_follows') }}
    union all by name
    select * from {{ ref('int_identity__narrative_item_one_amount') }}
    union all by name
    select * from {{ ref('int_identity__narrative_class_names') }}
    union all by name
    select * from {{ ref('int_identity__values_fit_the_warehouse') }}

),
catalogue as (
    select * from {{ ref('identity_catalogue') }}
),
tables_ as (
    select table_id, reading_status from {{ ref('stg_landing__tables') }}
)
select
    md5(a.identity_id || '|' || a.document_id || '|' || a.location || '|'
        || array_to_string(a.source_value_ids, ',')) as application_id,
    a.identity_id,
    c.description_en as identity_description,
    a.document_id,
    a.table_id,
    a.location,
    coalesce(a.compared, case when a.given_outcome is not null then 'names' else 'amounts' end) as compared,
    a.left_amount,
    a.right_amount,
    a.left_amount - a.right_amount as difference,
    a.tolerance,
    a.n_parts,
    -- an identity on names (code_names_agree) gives its outcome; the others are computed
    coalesce(a.given_outcome, {{ identity_outcome('a.left_amount', 'a.right_amount', 'a.tolerance') }}) as outcome,
    case
        when a.given_outcome = 'not_applicable' then 'right'
        when a.given_outcome is not null then null
        when a.left_amount is null and a.right_amount is null then 'both'
        when a.left_amount is null then 'left'
        when a.right_amount is null then 'right'
    end as missing_side,
    a.source_value_ids,
    a.source_addresses,
    -- whether the table's reading is confirmed by its own sums: a violation on a
    -- contradicted table may be our misreading, not the publication's error
    t.reading_status as table_reading_status
from applications as a
join catalogue as c using (identity_id)
left join tables_ as t on t.table_id = a.table_id
{% if is_incremental() %}where {{ recomputed_applications('a.') }}{% endif %}
