/**
 * Products (`#/products`): the catalog the checkout prices orders from. The
 * merchant adds products, changes names and prices, deactivates and
 * reactivates them (`GET`, `PUT`, `DELETE /api/admin/products/{sku}`;
 * deleting only deactivates, so past payments keep naming the product).
 * The cashier only reads.
 */
import { ApiError, api } from '../lib/api.js';
import { field, h, put, select } from '../lib/dom.js';
import { money, when } from '../lib/format.js';
import { addStrings, lang, t } from '../lib/i18n.js';
import { isAbort, loading, messageBox, pageHeader } from '../lib/ui.js';

addStrings({
  fr: {
    'products.title': 'Produits',
    'products.create': 'Ajouter un produit',
    'products.sku': 'Code (SKU)',
    'products.skuHint': 'Lettres, chiffres, . _ - ; il ne change plus ensuite',
    'products.name': 'Nom',
    'products.amount': 'Prix',
    'products.currency': 'Devise',
    'products.add': 'Ajouter',
    'products.edit': 'Modifier',
    'products.save': 'Enregistrer',
    'products.cancel': 'Annuler',
    'products.deactivate': 'Désactiver',
    'products.reactivate': 'Réactiver',
    'products.active': 'En vente',
    'products.inactive': 'Désactivé',
    'products.saved': '« {name} » enregistré : {amount}.',
    'products.deactivated': '« {name} » désactivé : il n’est plus en vente.',
    'products.reactivated': '« {name} » est de nouveau en vente.',
    'products.invalid': 'Produit refusé :',
    'products.empty': 'Aucun produit.',
    'products.list': 'Catalogue',
    'products.updated': 'Modifié le {date}',
    'products.editing': 'Modifier « {name} »',
  },
  en: {
    'products.title': 'Products',
    'products.create': 'Add a product',
    'products.sku': 'Code (SKU)',
    'products.skuHint': 'Letters, digits, . _ -; it cannot change later',
    'products.name': 'Name',
    'products.amount': 'Price',
    'products.currency': 'Currency',
    'products.add': 'Add',
    'products.edit': 'Edit',
    'products.save': 'Save',
    'products.cancel': 'Cancel',
    'products.deactivate': 'Deactivate',
    'products.reactivate': 'Reactivate',
    'products.active': 'On sale',
    'products.inactive': 'Deactivated',
    'products.saved': '“{name}” saved: {amount}.',
    'products.deactivated': '“{name}” deactivated: no longer on sale.',
    'products.reactivated': '“{name}” is on sale again.',
    'products.invalid': 'Product refused:',
    'products.empty': 'No product.',
    'products.list': 'Catalog',
    'products.updated': 'Changed {date}',
    'products.editing': 'Edit “{name}”',
  },
});

const CURRENCIES = ['GNF', 'SLE', 'USD'];

/** @typedef {{ sku: string, name: string, amount: number, currency: string, active: boolean, updatedAt: string }} Product */

/** @param {import('../lib/ui.js').PageContext} ctx */
export async function mount(ctx) {
  const admin = ctx.role === 'admin';
  const message = messageBox('products-message');
  const list = h('div', { 'aria-busy': 'true' }, loading());

  /**
   * @param {string} sku
   * @param {{ name: string, amount: number, currency: string, active: boolean }} body
   */
  const save = (sku, body) =>
    api(`/api/admin/products/${encodeURIComponent(sku)}`, { method: 'PUT', body, signal: ctx.signal });

  /** @param {unknown} error */
  const fail = (error) => {
    if (isAbort(error) || ctx.signal.aborted) return;
    if (error instanceof ApiError && error.status === 400)
      message.show('error', t('products.invalid'), error.problem.errors ?? []);
    else message.error(error);
  };

  /**
   * The inline form that changes a product's name and price.
   * @param {Product} product
   * @param {HTMLElement} item
   */
  const editor = (product, item) => {
    const id = `p-${product.sku.replace(/[^\w-]/g, '_')}`;
    const name = h('input', {
      type: 'text',
      name: 'name',
      value: product.name,
      required: true,
      maxlength: '100',
    });
    const amount = h('input', {
      type: 'number',
      name: 'amount',
      value: String(product.amount),
      required: true,
      min: '1',
      step: '1',
      inputmode: 'numeric',
      'data-testid': 'product-edit-amount',
    });
    const form = h(
      'form',
      {
        class: 'grid-form',
        'aria-label': t('products.editing', { name: product.name }),
        onsubmit: async (/** @type {SubmitEvent} */ event) => {
          event.preventDefault();
          try {
            const saved = await save(product.sku, {
              name: name.value,
              amount: Number(amount.value),
              currency: product.currency,
              active: product.active,
            });
            message.show(
              'ok',
              t('products.saved', { name: saved.name, amount: money(saved.amount, saved.currency) }),
            );
            await reload();
          } catch (error) {
            fail(error);
          }
        },
      },
      field(`${id}-name`, t('products.name'), name),
      field(`${id}-amount`, `${t('products.amount')} (${product.currency})`, amount),
      h(
        'div',
        { class: 'actions wide' },
        h('button', { type: 'submit', class: 'primary', 'data-testid': 'product-save' }, t('products.save')),
        h('button', { type: 'button', onclick: () => reload() }, t('products.cancel')),
      ),
    );
    put(item, form);
    amount.focus();
  };

  /** @param {Product} product */
  const card = (product) => {
    const item = h('li', {
      class: `card${product.active ? '' : ' inactive'}`,
      'data-testid': 'product-card',
      'data-sku': product.sku,
    });
    const toggle = async () => {
      try {
        if (product.active) {
          await api(`/api/admin/products/${encodeURIComponent(product.sku)}`, {
            method: 'DELETE',
            signal: ctx.signal,
          });
          message.show('ok', t('products.deactivated', { name: product.name }));
        } else {
          await save(product.sku, {
            name: product.name,
            amount: product.amount,
            currency: product.currency,
            active: true,
          });
          message.show('ok', t('products.reactivated', { name: product.name }));
        }
        await reload();
      } catch (error) {
        fail(error);
      }
    };
    put(
      item,
      h('p', { class: 'title' }, product.name),
      h('p', { class: 'amount', 'data-testid': 'product-amount' }, money(product.amount, product.currency)),
      h(
        'p',
        { class: 'muted' },
        h('code', {}, product.sku),
        ` · ${t(product.active ? 'products.active' : 'products.inactive')}`,
      ),
      h('p', { class: 'muted' }, t('products.updated', { date: when(product.updatedAt, lang) })),
      admin
        ? h(
            'div',
            { class: 'actions' },
            h(
              'button',
              { type: 'button', onclick: () => editor(product, item), 'data-testid': 'product-edit' },
              t('products.edit'),
            ),
            h(
              'button',
              {
                type: 'button',
                class: product.active ? 'danger' : '',
                onclick: toggle,
                'data-testid': 'product-toggle',
              },
              t(product.active ? 'products.deactivate' : 'products.reactivate'),
            ),
          )
        : null,
    );
    return item;
  };

  const reload = async () => {
    try {
      /** @type {{ products: Product[] }} */
      const { products } = await api('/api/admin/products', { signal: ctx.signal });
      put(
        list,
        products.length
          ? h('ul', { class: 'cards', 'data-testid': 'products-list' }, products.map(card))
          : h('p', { class: 'muted' }, t('products.empty')),
      );
    } catch (error) {
      fail(error);
      put(list);
    }
    list.removeAttribute('aria-busy');
  };

  /** The form that adds a product (a PUT of a new SKU). */
  const createForm = () => {
    const sku = h('input', {
      type: 'text',
      name: 'sku',
      required: true,
      maxlength: '64',
      pattern: '[A-Za-z0-9][A-Za-z0-9_.\\-]{0,63}',
      autocomplete: 'off',
      'data-testid': 'product-new-sku',
    });
    const name = h('input', {
      type: 'text',
      name: 'name',
      required: true,
      maxlength: '100',
      'data-testid': 'product-new-name',
    });
    const amount = h('input', {
      type: 'number',
      name: 'amount',
      required: true,
      min: '1',
      step: '1',
      inputmode: 'numeric',
      'data-testid': 'product-new-amount',
    });
    const currency = select(
      'currency',
      CURRENCIES.map((c) => /** @type {[string, string]} */ ([c, c])),
      'GNF',
    );
    return h(
      'details',
      { class: 'create card', 'data-testid': 'product-create' },
      h('summary', { 'data-testid': 'product-create-toggle' }, t('products.create')),
      h(
        'form',
        {
          class: 'grid-form',
          onsubmit: async (/** @type {SubmitEvent} */ event) => {
            event.preventDefault();
            const form = /** @type {HTMLFormElement} */ (event.currentTarget);
            try {
              const saved = await save(sku.value.trim(), {
                name: name.value,
                amount: Number(amount.value),
                currency: currency.value,
                active: true,
              });
              form.reset();
              message.show(
                'ok',
                t('products.saved', { name: saved.name, amount: money(saved.amount, saved.currency) }),
              );
              await reload();
            } catch (error) {
              fail(error);
            }
          },
        },
        field('pn-sku', t('products.sku'), sku, t('products.skuHint')),
        field('pn-name', t('products.name'), name),
        field('pn-amount', t('products.amount'), amount),
        field('pn-currency', t('products.currency'), currency),
        h(
          'div',
          { class: 'actions wide' },
          h('button', { type: 'submit', class: 'primary', 'data-testid': 'product-add' }, t('products.add')),
        ),
      ),
    );
  };

  put(
    ctx.main,
    pageHeader(t('products.title')),
    admin ? createForm() : null,
    message.box,
    h('h2', {}, t('products.list')),
    list,
  );
  await reload();
}
