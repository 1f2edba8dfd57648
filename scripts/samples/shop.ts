import type { Database } from 'sql.js';
import { emailOf, firstNames, lastNames, towns } from './names.ts';
import { addDays, Random } from './random.ts';
import { insertAll, type SampleSpec } from './sample.ts';

const schema = `
CREATE TABLE categories (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	parent_id INTEGER REFERENCES categories(id)
);
CREATE TABLE suppliers (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	country TEXT NOT NULL
);
CREATE TABLE products (
	id INTEGER PRIMARY KEY,
	sku TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	category_id INTEGER NOT NULL REFERENCES categories(id),
	supplier_id INTEGER NOT NULL REFERENCES suppliers(id),
	price REAL NOT NULL CHECK (price > 0),
	stock INTEGER NOT NULL,
	discontinued INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE customers (
	id INTEGER PRIMARY KEY,
	first_name TEXT NOT NULL,
	last_name TEXT NOT NULL,
	email TEXT NOT NULL UNIQUE,
	city TEXT NOT NULL,
	country TEXT NOT NULL,
	joined_on TEXT NOT NULL
);
CREATE TABLE orders (
	id INTEGER PRIMARY KEY,
	customer_id INTEGER NOT NULL REFERENCES customers(id),
	ordered_on TEXT NOT NULL,
	status TEXT NOT NULL CHECK (status IN ('pending', 'shipped', 'delivered', 'cancelled', 'returned'))
);
CREATE TABLE order_items (
	order_id INTEGER NOT NULL REFERENCES orders(id),
	product_id INTEGER NOT NULL REFERENCES products(id),
	quantity INTEGER NOT NULL CHECK (quantity > 0),
	unit_price REAL NOT NULL,
	PRIMARY KEY (order_id, product_id)
) WITHOUT ROWID;
CREATE TABLE reviews (
	id INTEGER PRIMARY KEY,
	product_id INTEGER NOT NULL REFERENCES products(id),
	customer_id INTEGER NOT NULL REFERENCES customers(id),
	rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
	reviewed_on TEXT NOT NULL
);
CREATE INDEX orders_customer ON orders(customer_id);
CREATE INDEX order_items_product ON order_items(product_id);
CREATE VIEW order_totals AS
	SELECT o.id AS order_id, o.customer_id, o.ordered_on, o.status,
		round(sum(i.quantity * i.unit_price), 2) AS total
	FROM orders o JOIN order_items i ON i.order_id = o.id
	GROUP BY o.id;
`;

// Top-level category → subcategories → product nouns and a price range.
const catalogue: [string, [string, string[], number, number][]][] = [
	[
		'Home',
		[
			['Kitchen', ['Kettle', 'Chef Knife', 'Cutting Board', 'Saucepan', 'Teapot'], 9, 120],
			['Furniture', ['Stool', 'Bookshelf', 'Side Table', 'Desk Lamp', 'Armchair'], 25, 480]
		]
	],
	[
		'Outdoors',
		[
			['Camping', ['Tent', 'Sleeping Bag', 'Camp Stove', 'Lantern', 'Water Filter'], 12, 350],
			['Garden', ['Trowel', 'Watering Can', 'Planter', 'Hose Reel', 'Pruning Shears'], 6, 90]
		]
	],
	[
		'Electronics',
		[
			['Audio', ['Headphones', 'Speaker', 'Turntable', 'Radio', 'Earbuds'], 19, 420],
			['Computing', ['Keyboard', 'Mouse', 'Monitor Stand', 'USB Hub', 'Webcam'], 9, 160]
		]
	],
	[
		'Books & Games',
		[
			['Books', ['Atlas', 'Cookbook', 'Field Guide', 'Novel', 'Puzzle Book'], 7, 45],
			['Games', ['Board Game', 'Card Deck', 'Jigsaw', 'Chess Set', 'Dice Set'], 5, 80]
		]
	]
];
const brands = [
	'Alderwick',
	'Brightfern',
	'Copperlane',
	'Dunmore',
	'Emberly',
	'Foxglen',
	'Greyhollow',
	'Juniper & Co',
	'Northwind',
	'Tallowby'
];
const styles = ['Classic', 'Compact', 'Deluxe', 'Eco', 'Pro', 'Travel', 'Studio', 'Heritage'];
const statuses = [
	'delivered',
	'delivered',
	'delivered',
	'delivered',
	'shipped',
	'pending',
	'cancelled',
	'returned'
];

function build(db: Database): void {
	const rnd = new Random(20_230_101);
	db.exec(schema);

	const categories: unknown[][] = [];
	const leaves: { id: number; nouns: string[]; lo: number; hi: number }[] = [];
	for (const [top, subs] of catalogue) {
		const parent = categories.length + 1;
		categories.push([parent, top, null]);
		for (const [name, nouns, lo, hi] of subs) {
			categories.push([categories.length + 1, name, parent]);
			leaves.push({ id: categories.length, nouns, lo, hi });
		}
	}
	insertAll(db, 'categories', categories);

	const countries = [...new Set(towns.map((t) => t.country))];
	insertAll(
		db,
		'suppliers',
		brands.map((b, i) => [i + 1, `${b} Supply`, countries[i % countries.length]])
	);

	const products: unknown[][] = [];
	const seen = new Set<string>();
	while (products.length < 240) {
		const leaf = rnd.pick(leaves);
		const supplier = rnd.int(1, brands.length);
		const name = `${brands[supplier - 1]} ${rnd.pick(styles)} ${rnd.pick(leaf.nouns)}`;
		if (seen.has(name)) continue;
		seen.add(name);
		const id = products.length + 1;
		const price =
			Math.round(rnd.around((leaf.lo + leaf.hi) / 2, (leaf.hi - leaf.lo) / 2, leaf.lo, leaf.hi)) -
			0.01;
		products.push([
			id,
			`SKU-${String(1000 + id * 7)}`,
			name,
			leaf.id,
			supplier,
			price,
			rnd.int(0, 400),
			rnd.chance(0.06) ? 1 : 0
		]);
	}
	insertAll(db, 'products', products);

	const customers: unknown[][] = [];
	for (let id = 1; id <= 1500; id++) {
		const [first, last] = [rnd.pick(firstNames), rnd.pick(lastNames)];
		const town = rnd.pick(towns);
		customers.push([
			id,
			first,
			last,
			emailOf(first, last, id, 'mail.example.com'),
			town.city,
			town.country,
			addDays('2021-01-01', rnd.int(0, 1200))
		]);
	}
	insertAll(db, 'customers', customers);

	const orders: unknown[][] = [];
	const items: unknown[][] = [];
	const reviews: unknown[][] = [];
	for (let id = 1; id <= 4000; id++) {
		// Some customers buy far more often than others.
		const customer = customers[Math.floor(rnd.next() ** 1.7 * customers.length)];
		const day = addDays(customer[6] as string, rnd.int(0, 700));
		const ordered = day > '2024-12-31' ? addDays('2024-12-31', -rnd.int(0, 30)) : day;
		orders.push([id, customer[0], ordered, rnd.pick(statuses)]);
		for (const p of rnd.sample(products, rnd.int(1, 4))) {
			// Prices drift: an older order may have paid a little less than today's price.
			const paid = Math.round((p[5] as number) * (ordered < '2024-01-01' ? 0.95 : 1) * 100) / 100;
			items.push([id, p[0], rnd.chance(0.8) ? 1 : rnd.int(2, 6), paid]);
			if (rnd.chance(0.12)) {
				const rating = Math.round(rnd.around(3.9, 3.2, 1, 5));
				reviews.push([
					reviews.length + 1,
					p[0],
					customer[0],
					rating,
					addDays(ordered, rnd.int(3, 40))
				]);
			}
		}
	}
	insertAll(db, 'orders', orders);
	insertAll(db, 'order_items', items);
	insertAll(db, 'reviews', reviews);
}

/** An online shop: categories (two levels), suppliers, products, customers, orders, items and reviews. */
export const shop: SampleSpec = {
	name: 'shop',
	title: 'Shop',
	description:
		'An online shop: two-level categories, suppliers, 240 products, 1 500 customers, 4 000 orders with their items, and reviews (invented).',
	build
};
