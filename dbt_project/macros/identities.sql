{#- Rounding tolerance and outcome of an identity application, written once.

    Every published figure is rounded to its printed precision: half a unit of its last
    digit, h = 0.5 × 10^-decimals × unit (in 元). A sum of n rounded parts can miss its
    rounded total by strictly less than (n + 1)·h; on the grid of printed values that is the
    same as |difference| <= n·h (DECISIONLOG.md has the derivation and a worked example).
    For a plain equality (n = 1) only an exact match holds, as two roundings of the same
    number agree. -#}
{% macro rounding_tolerance(n_parts, decimals, multiplier) -%}
    cast({{ n_parts }} * 0.5 * power(10, -({{ decimals }})) * {{ multiplier }} as decimal(18, 4))
{%- endmacro %}

{% macro identity_outcome(left_amount, right_amount, tolerance) -%}
    case
        when {{ left_amount }} is null or {{ right_amount }} is null then 'not_applicable'
        when {{ left_amount }} = {{ right_amount }} then 'holds_exactly'
        when abs({{ left_amount }} - {{ right_amount }}) <= {{ tolerance }} then 'holds_within_rounding'
        else 'violated'
    end
{%- endmacro %}

{#- The right side of a sum identity, aggregated over its parts: the sum, how many parts, the
    coarsest printed precision and unit among them (for the tolerance), and the parts' ids
    and addresses in order. Use in a select with a group by. -#}
{% macro summed_parts(order_by='value_id') -%}
    sum(amount) as right_amount,
    count(*) as n_parts,
    max(published_decimals) as max_decimals,
    max({{ unit_multiplier('amount_unit') }}) as multiplier,
    list(value_id order by {{ order_by }}) as value_ids,
    list(source_address order by {{ order_by }}) as addresses
{%- endmacro %}

{#- The sides of a sum identity: `total` is a located amount (amount, published_decimals,
    amount_unit, value_id, source_address), `parts` the output of summed_parts. -#}
{% macro total_against_parts(total, parts) -%}
    {{ total }}.amount as left_amount,
    {{ parts }}.right_amount,
    {{ parts }}.n_parts,
    {{ rounding_tolerance(parts ~ '.n_parts',
                          'greatest(' ~ parts ~ '.max_decimals, ' ~ total ~ '.published_decimals)',
                          'greatest(' ~ parts ~ '.multiplier, ' ~ unit_multiplier(total ~ '.amount_unit') ~ ')') }} as tolerance,
    list_prepend({{ total }}.value_id, {{ parts }}.value_ids) as source_value_ids,
    list_prepend({{ total }}.source_address, {{ parts }}.addresses) as source_addresses
{%- endmacro %}

{#- The sides of an equality between one figure printed twice: `left` and `right` are located
    amounts, either of which may be missing (an outer join); a missing side leaves the
    application not applicable. -#}
{% macro figure_printed_twice(left, right) -%}
    {{ left }}.amount as left_amount,
    {{ right }}.amount as right_amount,
    1 as n_parts,
    {{ rounding_tolerance('1',
                          'greatest(coalesce(' ~ left ~ '.published_decimals, 0), coalesce(' ~ right ~ '.published_decimals, 0))',
                          'greatest(coalesce(' ~ unit_multiplier(left ~ '.amount_unit') ~ ', 1), coalesce(' ~ unit_multiplier(right ~ '.amount_unit') ~ ', 1))') }} as tolerance,
    list_filter([{{ left }}.value_id, {{ right }}.value_id], lambda x: x is not null) as source_value_ids,
    list_filter([{{ left }}.source_address, {{ right }}.source_address], lambda x: x is not null) as source_addresses
{%- endmacro %}
