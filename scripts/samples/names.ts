// Invented for ExecLab: first names are common given names, while surnames, towns, streets, brands
// and products are made up here, so the samples contain no third-party data.

/** Given names. */
export const firstNames = [
	'Ada',
	'Amir',
	'Anna',
	'Aisha',
	'Ben',
	'Bianca',
	'Carlos',
	'Chloe',
	'Daniel',
	'Dara',
	'Elena',
	'Emil',
	'Fatima',
	'Felix',
	'Grace',
	'Hana',
	'Hugo',
	'Ines',
	'Ivan',
	'Jonas',
	'Julia',
	'Kai',
	'Kenji',
	'Lara',
	'Leo',
	'Lina',
	'Luca',
	'Maya',
	'Mateo',
	'Mia',
	'Nadia',
	'Noah',
	'Nora',
	'Omar',
	'Olivia',
	'Priya',
	'Quentin',
	'Rosa',
	'Ravi',
	'Sara',
	'Samuel',
	'Sofia',
	'Tariq',
	'Tessa',
	'Theo',
	'Uma',
	'Victor',
	'Vera',
	'Wen',
	'Yara',
	'Yusuf',
	'Zoe',
	'Zeynep',
	'Björn',
	'Chiara',
	'Mei',
	'Oskar',
	'Ana',
	'Diego',
	'Léa',
	'Kofi',
	'Ingrid',
	'Rahul',
	'Elif'
] as const;

const surnameStarts = [
	'Ash',
	'Bram',
	'Cal',
	'Dun',
	'El',
	'Fen',
	'Gar',
	'Hal',
	'Ing',
	'Kes',
	'Lan',
	'Mar',
	'Nor',
	'Or',
	'Pem',
	'Quill',
	'Ros',
	'Sel',
	'Tam',
	'Ul',
	'Var',
	'Wick',
	'Yel',
	'Zan'
] as const;
const surnameEnds = [
	'ford',
	'well',
	'ton',
	'mere',
	'by',
	'stone',
	'wood',
	'hart',
	'ley',
	'mont',
	'ridge',
	'sen',
	'dale',
	'croft'
] as const;

/** Invented surnames (e.g. "Ashford", "Varley"): every start with every end. */
export const lastNames: string[] = surnameStarts.flatMap((s) => surnameEnds.map((e) => s + e));

/** Invented towns with the invented country they lie in. */
export const towns: readonly { city: string; country: string }[] = [
	{ city: 'Brookhaven', country: 'Estoria' },
	{ city: 'Millbridge', country: 'Estoria' },
	{ city: 'Ravenmoor', country: 'Estoria' },
	{ city: 'Saltcombe', country: 'Estoria' },
	{ city: 'Eastwold', country: 'Estoria' },
	{ city: 'Port Alder', country: 'Marovia' },
	{ city: 'Velmont', country: 'Marovia' },
	{ city: 'Kestrel Bay', country: 'Marovia' },
	{ city: 'Lindqvist', country: 'Nordhal' },
	{ city: 'Årby', country: 'Nordhal' },
	{ city: 'Fjellstad', country: 'Nordhal' },
	{ city: 'San Corvo', country: 'Solandia' },
	{ city: 'Villa Rosal', country: 'Solandia' },
	{ city: 'Montclair-sur-Lune', country: 'Belrive' },
	{ city: 'Château-Gris', country: 'Belrive' }
];

/** A person's e-mail on an invented domain, unique thanks to the id. */
export function emailOf(first: string, last: string, id: number, domain: string): string {
	const plain = `${first}.${last}`
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z.]/g, '');
	return `${plain}${id}@${domain}`;
}
