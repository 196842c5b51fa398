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
