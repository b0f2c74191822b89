// The endpoints the app uses, one function each.
import { http, type Query } from './client';
import type {
  Coverage, Enterprise, List, Mine, MineFeatureCollection, MineLive, Person, Point, Principal, Region, SensorInfo, Series,
} from './types';

const V1 = '/api/v1';

export const api = {
  login: (username: string, password: string) => http.post<Principal>(`${V1}/auth/login`, { username, password }),
  logout: () => http.post<void>(`${V1}/auth/logout`),
  me: () => http.get<Principal>(`${V1}/auth/me`),

  regions: () => http.get<List<Region>>(`${V1}/regions`),
  enterprises: (q?: Query) => http.get<List<Enterprise>>(`${V1}/enterprises`, q),
  enterprise: (id: number) => http.get<Enterprise>(`${V1}/enterprises/${id}`),

  mines: (q?: Query, signal?: AbortSignal) => http.get<List<Mine>>(`${V1}/mines`, q, signal),
  minesGeoJSON: (q?: Query, signal?: AbortSignal) => http.get<MineFeatureCollection>(`${V1}/mines.geojson`, q, signal),
  mine: (id: number) => http.get<Mine>(`${V1}/mines/${id}`),
  createMine: (body: Record<string, unknown>) => http.post<Mine>(`${V1}/mines`, body),
  updateMine: (id: number, body: Record<string, unknown>) => http.patch<Mine>(`${V1}/mines/${id}`, body),
  people: (id: number) => http.get<List<Person>>(`${V1}/mines/${id}/people`, { limit: 1000 }),

  points: (mineId: number) => http.get<List<Point>>(`${V1}/mines/${mineId}/points`, { limit: 1000 }),
  live: (mineId: number, signal?: AbortSignal) => http.get<MineLive>(`${V1}/mines/${mineId}/live`, undefined, signal),
  series: (pointId: number, from: Date, to: Date, step = 'auto', signal?: AbortSignal) =>
    http.get<Series>(`${V1}/points/${pointId}/series`, { from: from.toISOString(), to: to.toISOString(), step }, signal),
  coverage: () => http.get<Coverage>(`${V1}/monitoring/coverage`),
  sensors: () => http.get<SensorInfo[]>(`${V1}/catalog/sensors`),
};

export const STREAM_URL = `${V1}/stream`;
