{#- The one place the warehouse's money type is decided. The ingest converts each published
    amount to 元 exactly (published value × unit); this casts that exact 元 amount to the
    mart type. A value with more than two decimals in 元 would be rounded here, so the
    expectation suite checks that none exists. -#}
{% macro to_money(amount_yuan) -%}
    cast({{ amount_yuan }} as decimal(18, 2))
{%- endmacro %}

{#- Size of one published unit in 元. -#}
{% macro unit_multiplier(unit) -%}
    case {{ unit }} when '元' then 1 when '万元' then 10000 when '亿元' then 100000000 end
{%- endmacro %}
